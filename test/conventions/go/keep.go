// Package keep holds the module the conventions tests compile generated Go packages in. The
// import keeps go.opentelemetry.io/otel (whose semconv/vX packages are the tests' oracle) in
// go.mod, so scripts/go-modules.sh downloads it before the tests run.
package keep

import _ "go.opentelemetry.io/otel/attribute"
