/** The SDK installed products embed to check their license (see the module README). */
package org.licensing.client;
