package rates

import "time"

type Table struct {
	rates   map[string]float64
	updated time.Time
}

func (t *Table) Rate(code string) (float64, bool) {
	r, ok := t.rates[code]
	return r, ok
}

// (unchanged)

func (t *Table) Stale(now time.Time) bool {
	return now.Sub(t.updated) > time.Hour
}

// same as above
