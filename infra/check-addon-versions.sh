#!/usr/bin/env bash
# Checks the EKS add-on versions the synthesized stack pins against what EKS offers in this account and region, before
# a deploy (the versions in EksAddons were written without an AWS account; EKS refuses a version it does not offer for
# the cluster's Kubernetes version, and that fails `cdk deploy` on the add-on).
#
#   infra/check-addon-versions.sh [template]    default: the synthesized template, infra/cdk.out/ (npx cdk synth)
#                                               or infra/target/cdk.out/ (./mvnw ... exec:java), the newer of the two
#
# For each AWS::EKS::Addon of the template: the pinned version, whether EKS offers it for the cluster's version, and
# EKS' default and newest version for that Kubernetes version. Exit 0 when every pinned version is offered, 1 when one
# is not (correct EksAddons or pass -c addonVersions=name=version,... and synthesize again), 2 on a usage error.
# Needs the AWS CLI v2 (credentials of the target account and region) and jq. AWS overrides the CLI binary.
set -euo pipefail

AWS=${AWS:-aws}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
template=${1:-$(ls -t "$here/cdk.out/LicensingPlatform.template.json" "$here/target/cdk.out/LicensingPlatform.template.json" \
  2>/dev/null | head -1 || true)}
[[ -n "$template" && -r "$template" ]] \
  || { echo "check-addon-versions: no template ${template:-in infra/cdk.out or infra/target/cdk.out}: synthesize first" >&2; exit 2; }

kubernetes=$(jq -r '[.Resources[] | select(.Type == "AWS::EKS::Cluster") | .Properties.Version] | first // empty' "$template")
[[ -n "$kubernetes" ]] || { echo "check-addon-versions: $template has no EKS cluster version" >&2; exit 2; }

missing=0
printf '%-34s %-22s %-8s %-22s %s\n' "add-on (Kubernetes $kubernetes)" pinned offered default newest
while IFS=$'\t' read -r name pinned; do
  # EKS lists an add-on's versions newest first; `compatibilities[].defaultVersion` marks the one it installs by default
  versions=$("$AWS" eks describe-addon-versions --kubernetes-version "$kubernetes" --addon-name "$name" --output json)
  offered=$(jq -r --arg v "$pinned" '[.addons[].addonVersions[].addonVersion] | if index($v) then "yes" else "NO" end' <<<"$versions")
  default=$(jq -r '[.addons[].addonVersions[] | select(any(.compatibilities[]?; .defaultVersion == true)) | .addonVersion] | first // "-"' <<<"$versions")
  newest=$(jq -r '[.addons[].addonVersions[].addonVersion] | first // "-"' <<<"$versions")
  printf '%-34s %-22s %-8s %-22s %s\n' "$name" "$pinned" "$offered" "$default" "$newest"
  [[ "$offered" == yes ]] || missing=1
done < <(jq -r '.Resources[] | select(.Type == "AWS::EKS::Addon") | [.Properties.AddonName, .Properties.AddonVersion] | @tsv' "$template" | sort)

if (( missing )); then
  echo "check-addon-versions: EKS does not offer a pinned version for Kubernetes $kubernetes: correct EksAddons (or pass" \
    "-c addonVersions=...) with a version it offers, then synthesize and check again" >&2
fi
exit "$missing"
