//go:build race

package pdfintake

// raceEnabled: the race detector's child takes about 1.5 s to start (its
// shadow memory), so under -race only the tests about isolation itself
// check in a child; the rest check in process.
const raceEnabled = true
