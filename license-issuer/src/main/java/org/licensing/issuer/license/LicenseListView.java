package org.licensing.issuer.license;

import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(name = "LicensePage", description = "One page; pass nextCursor back as cursor for the next one. A page may"
        + " hold fewer than limit items (filters apply after the index read) even when more follow.")
public record LicenseListView(List<LicenseView> items, String nextCursor) {
}
