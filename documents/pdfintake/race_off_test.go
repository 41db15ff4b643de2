//go:build !race

package pdfintake

// raceEnabled: without the race detector every test checks in a child
// process, as production does.
const raceEnabled = false
