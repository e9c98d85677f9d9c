package org.licensing.validator.receipt;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import jakarta.inject.Singleton;

import org.licensing.core.crypto.SigningKeys;
import org.licensing.core.receipt.ValidationReceipt;
import org.licensing.validator.config.ValidatorConfig;

/**
 * Signs validation receipts ({@link ValidationReceipt} says which claims): compact JWS, EdDSA (Ed25519), {@code kid}
 * header, {@code typ} {@value ValidationReceipt#TYP}. Signed by {@link SigningKeys#sign} (active key, one prepared
 * thread-safe signer).
 */
@Singleton
public class ReceiptSigner {

    private final SigningKeys keys;
    private final String issuer;

    public ReceiptSigner(SigningKeys keys, ValidatorConfig config) {
        this.keys = keys;
        this.issuer = config.receiptIssuer();
    }

    public String sign(ValidationReceipt receipt) {
        // A random jti without SecureRandom's cost: it identifies a receipt, it is not a secret.
        String jti = new UUID(ThreadLocalRandom.current().nextLong(), ThreadLocalRandom.current().nextLong()).toString();
        return keys.sign(receipt.toClaims(issuer, jti), ValidationReceipt.TYP);
    }
}
