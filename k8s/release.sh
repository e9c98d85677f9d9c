#!/usr/bin/env bash
# Releases the four services (issuer, validator, notification service, back office; the webhook deliverer runs the
# issuer's image) to the prod overlay, in two steps with a review between them:
#
#   k8s/release.sh [--skip-build]   render: computes the release tag once (git describe; a dirty tree is refused
#                                   before anything is written), writes the stack's outputs to
#                                   overlays/prod/stack-outputs.env, builds and pushes each image to its ECR repository
#                                   (immutable tags; skipped for a tag already there), pins each image by the digest ECR
#                                   reports, records the tag in overlays/prod/release-tag, renders target/prod.yaml.
#                                   Review the diff and commit it.
#   k8s/release.sh --apply          apply exactly what was committed: the recorded tag, the pinned digests (checked
#                                   against ECR's for that tag) and the committed stack outputs (checked against the
#                                   stack's); nothing is built or re-pinned. Creates the RDS CA bundle ConfigMap, the
#                                   database Secrets, the back office's OIDC client and cookie Secrets and the JWT
#                                   trust Secret (the user pool's JWK Set), then `kubectl apply`.
#
# Environment:
#   STACK_NAME      CloudFormation stack (LicensingPlatform)
#   IMAGE_TAG       tag to push when rendering (default: git describe --tags --always --dirty; a dirty tree is refused);
#                   with --apply it must equal the recorded tag if set
#   BUILD_CMD       the one command that builds and pushes one image; it sees SERVICE (module), IMAGE (repo:tag) and
#                   REPO_ROOT. Default: Quarkus container-image with Jib, which pushes without a container engine, with
#                   Quarkus' management interface built in (quarkus.management.enabled is fixed at build time: health
#                   and metrics on port 9000, where the prod overlay probes and scrapes and the ALBs health-check).
#   RDS_CA_BUNDLE   PEM file with the RDS CA bundle (default: downloaded from truststore.pki.rds.amazonaws.com for
#                   the stack's region when --apply runs)
#   KUBECTL, KUSTOMIZE, AWS   binaries (kubectl, kustomize, aws); without kustomize the digests are written directly
#   OUTPUTS_FILE    use this outputs file instead of asking CloudFormation (e.g. a CI artifact)
#   JWT_TRUST_FILE  the token issuer's public key(s) (PEM or JWK Set) for licensing-jwt-trust (default: the JWK Set at
#                   <JwtIssuer>/.well-known/jwks.json, fetched when --apply runs)
set -euo pipefail

K8S_DIR=${K8S_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)}
REPO_ROOT=${REPO_ROOT:-$(cd "$K8S_DIR/.." && pwd)}
OVERLAY="$K8S_DIR/overlays/prod"
STACK_NAME=${STACK_NAME:-LicensingPlatform}
NAMESPACE=licensing
KUBECTL=${KUBECTL:-kubectl}
KUSTOMIZE=${KUSTOMIZE:-kustomize}
AWS=${AWS:-aws}
SERVICES=(license-issuer license-validator notification-service back-office)
# service -> the stack output holding its ECR repository URI
declare -A REPOSITORY_OUTPUT=([license-issuer]=IssuerImageRepositoryUri
  [license-validator]=ValidatorImageRepositoryUri [notification-service]=NotificationImageRepositoryUri
  [back-office]=BackOfficeImageRepositoryUri)
# shellcheck disable=SC2016 # expanded by eval, per service
BUILD_CMD=${BUILD_CMD:-'"$REPO_ROOT/mvnw" -B -q -f "$REPO_ROOT/pom.xml" -pl "$SERVICE" -am package -DskipTests -Dquarkus.container-image.build=true -Dquarkus.container-image.push=true -Dquarkus.container-image.image="$IMAGE" -Dquarkus.management.enabled=true'}

build=true
apply=false
for arg in "$@"; do
  case "$arg" in
    --skip-build) build=false ;;
    --apply) apply=true ;;
    -h|--help) awk 'NR > 1 && !/^#/ {exit} NR > 1 {print}' "$0"; exit 0 ;;
    *) echo "unknown argument: $arg" >&2; exit 2 ;;
  esac
done

log() { echo "release: $*" >&2; }
die() { echo "release: $*" >&2; exit 1; }

# ---- 1. the release tag: computed once, before anything in the tree is written -----------------------------------
release_tag="$OVERLAY/release-tag"
if $apply; then
  [[ -s "$release_tag" ]] || die "no release recorded in $release_tag: run release.sh without --apply, review, commit"
  recorded=$(tr -d '[:space:]' < "$release_tag")
  [[ -z "${IMAGE_TAG:-}" || "$IMAGE_TAG" == "$recorded" ]] \
    || die "IMAGE_TAG=$IMAGE_TAG, but the overlay records $recorded: --apply applies what was rendered and committed"
  IMAGE_TAG=$recorded
  # What is applied is what was reviewed: the overlay as committed.
  if git -C "$REPO_ROOT" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    git -C "$REPO_ROOT" diff --quiet HEAD -- "$OVERLAY" \
      || die "overlays/prod differs from the last commit: commit the rendered release (or discard the changes)"
  fi
elif [[ -z "${IMAGE_TAG:-}" ]]; then
  IMAGE_TAG=$(git -C "$REPO_ROOT" describe --tags --always --dirty)
fi
[[ "$IMAGE_TAG" != *-dirty ]] || die "uncommitted changes: commit, or set IMAGE_TAG (tags are immutable in ECR)"

# ---- 2. stack outputs -----------------------------------------------------------------------------------------
outputs="$OVERLAY/stack-outputs.env"
fetch_outputs() { # file
  if [[ -n "${OUTPUTS_FILE:-}" ]]; then
    cp "$OUTPUTS_FILE" "$1"
  else
    log "reading the outputs of $STACK_NAME"
    {
      echo "# Outputs of the CDK stack $STACK_NAME, written by k8s/release.sh."
      "$AWS" cloudformation describe-stacks --stack-name "$STACK_NAME" \
        --query 'Stacks[0].Outputs[].[OutputKey,OutputValue]' --output text | awk -F'\t' 'NF == 2 {print $1"="$2}'
    } > "$1"
  fi
}
if $apply; then
  # the committed outputs are applied; a stack changed since the render needs a new render
  fetch_outputs "$outputs.current"
  if ! diff <(grep -v '^#' "$outputs" | sort) <(grep -v '^#' "$outputs.current" | sort) >/dev/null; then
    rm -f "$outputs.current"
    die "the stack's outputs changed since the release was rendered: run release.sh without --apply and commit"
  fi
  rm -f "$outputs.current"
else
  fetch_outputs "$outputs.tmp"
  mv "$outputs.tmp" "$outputs"
fi
output() {
  local value
  value=$(awk -F= -v key="$1" '$1 == key {sub(/^[^=]*=/, ""); print; exit}' "$outputs")
  [[ -n "$value" ]] || die "stack output $1 missing from $outputs"
  printf '%s' "$value"
}
region=$(output Region)

# ---- 3. images ------------------------------------------------------------------------------------------------
digest_of() { # repository-name tag -> sha256:... or empty
  "$AWS" ecr describe-images --region "$region" --repository-name "$1" --image-ids imageTag="$2" \
    --query 'imageDetails[0].imageDigest' --output text 2>/dev/null || true
}
pinned_digest() { # service -> the digest the overlay pins
  awk -v name="$1" '
    /^images:/ { in_images = 1; next }
    in_images && /^[^ #-]/ { in_images = 0 }
    in_images && $0 ~ "^  - name: " name "$" { current = 1; next }
    in_images && /^  - name: / { current = 0 }
    in_images && current && /^    digest: / { print $2; exit }' "$OVERLAY/kustomization.yaml"
}
$apply && build=false

if $build; then
  engine=${CONTAINER_ENGINE:-$(command -v docker || command -v podman || true)}
  registry=$(output IssuerImageRepositoryUri); registry=${registry%%/*}
  password=$("$AWS" ecr get-login-password --region "$region")
  # Jib reads the registry credentials from the environment (not the command line).
  export QUARKUS_CONTAINER_IMAGE_USERNAME=AWS QUARKUS_CONTAINER_IMAGE_PASSWORD="$password"
  if [[ -n "$engine" ]]; then
    printf '%s' "$password" | "$engine" login --username AWS --password-stdin "$registry" >/dev/null
  else
    log "no container engine found: the build command must push by itself (Jib does)"
  fi
fi

declare -A DIGEST
for SERVICE in "${SERVICES[@]}"; do
  repository=$(output "${REPOSITORY_OUTPUT[$SERVICE]}")
  IMAGE="$repository:$IMAGE_TAG"
  digest=$(digest_of "${repository#*/}" "$IMAGE_TAG")
  if $apply; then
    pinned=$(pinned_digest "$SERVICE")
    [[ "$digest" == "$pinned" ]] \
      || die "$IMAGE is $digest in ECR, the overlay pins $pinned: render the release again (release.sh without --apply)"
  elif [[ "$digest" != sha256:* ]]; then
    $build || die "$IMAGE is not in ECR and --skip-build was given"
    log "building and pushing $IMAGE"
    export SERVICE IMAGE REPO_ROOT
    eval "$BUILD_CMD"
    digest=$(digest_of "${repository#*/}" "$IMAGE_TAG")
  else
    log "$IMAGE is already in ECR (tags are immutable): using it"
  fi
  [[ "$digest" =~ ^sha256:[0-9a-f]{64}$ ]] || die "no digest for $IMAGE in ECR (got '$digest')"
  DIGEST[$SERVICE]=$digest
done

# ---- 4. pin the digests and record the tag (rendering only) ---------------------------------------------------
for SERVICE in "${SERVICES[@]}"; do
  $apply && break
  if command -v "$KUSTOMIZE" >/dev/null 2>&1; then
    (cd "$OVERLAY" && "$KUSTOMIZE" edit set image "$SERVICE@${DIGEST[$SERVICE]}")
  else
    # The same edit without kustomize: the digest line of this image's entry in `images:`.
    awk -v name="$SERVICE" -v digest="${DIGEST[$SERVICE]}" '
      /^images:/ { in_images = 1 }
      in_images && /^[^ #-]/ && !/^images:/ { in_images = 0 }
      in_images && $0 ~ "^  - name: " name "$" { current = 1; print; next }
      in_images && /^  - name: / { current = 0 }
      in_images && current && /^    digest: / { print "    digest: " digest; next }
      { print }' "$OVERLAY/kustomization.yaml" > "$OVERLAY/kustomization.yaml.tmp"
    mv "$OVERLAY/kustomization.yaml.tmp" "$OVERLAY/kustomization.yaml"
  fi
  log "$SERVICE pinned to ${DIGEST[$SERVICE]}"
done
$apply || printf '%s\n' "$IMAGE_TAG" > "$release_tag"

# ---- 5. render ------------------------------------------------------------------------------------------------
mkdir -p "$K8S_DIR/target"
rendered="$K8S_DIR/target/prod.yaml"
"$KUBECTL" kustomize "$OVERLAY" > "$rendered"
for SERVICE in "${SERVICES[@]}"; do
  grep -q "image: $(output "${REPOSITORY_OUTPUT[$SERVICE]}")@${DIGEST[$SERVICE]}" "$rendered" \
    || die "rendered overlay does not run $SERVICE at ${DIGEST[$SERVICE]}"
done
log "rendered $rendered"

$apply || { log "release $IMAGE_TAG rendered, not applied: review and commit overlays/prod, then --apply"; exit 0; }

# ---- 6. cluster-side inputs, then apply -------------------------------------------------------------------------
"$KUBECTL" create namespace "$NAMESPACE" --dry-run=client -o yaml | "$KUBECTL" apply -f - >/dev/null
secrets=$(mktemp -d); trap 'rm -rf "$secrets"' EXIT; chmod 700 "$secrets"

# The RDS CA bundle the issuer verifies Aurora with (verify-full). Region bundle from the RDS trust store.
bundle=${RDS_CA_BUNDLE:-}
if [[ -z "$bundle" ]]; then
  bundle="$secrets/rds-ca-bundle.pem"
  curl -fsSL "https://truststore.pki.rds.amazonaws.com/$region/$region-bundle.pem" -o "$bundle"
fi
grep -q 'BEGIN CERTIFICATE' "$bundle" || die "$bundle holds no PEM certificate"
"$KUBECTL" -n "$NAMESPACE" create configmap rds-ca-bundle --from-file=rds-ca-bundle.pem="$bundle" \
  --dry-run=client -o yaml | "$KUBECTL" apply -f - >/dev/null

# Database credentials from Secrets Manager: the owner (Flyway) and the application role (the service).
db_secret() { # kubernetes-secret-name secrets-manager-arn
  local dir="$secrets/$1"
  mkdir -p "$dir"
  "$AWS" secretsmanager get-secret-value --region "$region" --secret-id "$2" --query SecretString --output text \
    | jq -r '.username' > "$dir/username"
  "$AWS" secretsmanager get-secret-value --region "$region" --secret-id "$2" --query SecretString --output text \
    | jq -r '.password' > "$dir/password"
  "$KUBECTL" -n "$NAMESPACE" create secret generic "$1" --from-file="$dir" --dry-run=client -o yaml \
    | "$KUBECTL" apply -f - >/dev/null
}
db_secret license-issuer-db "$(output DatabaseSecretArn)"
db_secret license-issuer-db-app "$(output DatabaseAppSecretArn)"

# The back office's OIDC client: the user pool's app client. Its secret is no stack output (outputs are readable by
# anyone who may describe the stack): read here, written only into the Secret.
mkdir -p "$secrets/back-office-oidc"
output BackOfficeClientId > "$secrets/back-office-oidc/client-id"
"$AWS" cognito-idp describe-user-pool-client --region "$region" --user-pool-id "$(output BackOfficeUserPoolId)" \
  --client-id "$(output BackOfficeClientId)" --query UserPoolClient.ClientSecret --output text \
  > "$secrets/back-office-oidc/client-secret"
[[ -s "$secrets/back-office-oidc/client-secret" ]] || die "no client secret for the back office's app client"
"$KUBECTL" -n "$NAMESPACE" create secret generic back-office-oidc --from-file="$secrets/back-office-oidc" \
  --dry-run=client -o yaml | "$KUBECTL" apply -f - >/dev/null

# The back office's cookie keys: created once and kept (new keys would sign every user out); 48 random bytes each.
if ! "$KUBECTL" -n "$NAMESPACE" get secret back-office-session >/dev/null 2>&1; then
  mkdir -p "$secrets/back-office-session"
  openssl rand -base64 48 | tr -d '\n' > "$secrets/back-office-session/session-secret"
  openssl rand -base64 48 | tr -d '\n' > "$secrets/back-office-session/state-secret"
  "$KUBECTL" -n "$NAMESPACE" create secret generic back-office-session --from-file="$secrets/back-office-session" \
    --dry-run=client -o yaml | "$KUBECTL" apply -f - >/dev/null
fi

# The keys the issuer and the notification service verify bearer tokens with (their pods have no route to the
# issuer's JWKS URL): a snapshot of the JWK Set, refreshed by every --apply (SmallRye JWT reads a JWK Set file).
trust=${JWT_TRUST_FILE:-}
if [[ -z "$trust" ]]; then
  trust="$secrets/jwks.json"
  curl -fsSL "$(output JwtIssuer)/.well-known/jwks.json" -o "$trust"
fi
grep -q '"keys"\|BEGIN PUBLIC KEY' "$trust" || die "$trust holds neither a JWK Set nor a PEM public key"
"$KUBECTL" -n "$NAMESPACE" create secret generic licensing-jwt-trust --from-file=publickey.pem="$trust" \
  --dry-run=client -o yaml | "$KUBECTL" apply -f - >/dev/null

"$KUBECTL" apply -f "$rendered"
log "applied; the signing-key and idempotency Secrets are the operator's (k8s/README.md)"
