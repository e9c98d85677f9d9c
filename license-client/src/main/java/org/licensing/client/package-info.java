/**
 * The SDK installed products embed to check their license (see the module README): {@link
 * org.licensing.client.LicenseClient} and its builder, the immutable answers {@link org.licensing.client.LicenseAnswer}
 * and {@link org.licensing.client.ActivationAnswer}, the codes {@link org.licensing.client.LicenseCode}, exact
 * {@link org.licensing.client.Entitlements}, {@link org.licensing.client.FingerprintStrategy} and the one misuse
 * exception {@link org.licensing.client.LicenseClientException}. Everything else in the package is internal.
 */
package org.licensing.client;
