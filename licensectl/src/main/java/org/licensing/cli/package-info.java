/** licensectl: the back office's command-line client. */
package org.licensing.cli;
