//go:build race

package documents_test

// raceEnabled lets the heaviest tests skip themselves under -race, where
// building 10,000 certificates takes tens of seconds on a small machine.
const raceEnabled = true
