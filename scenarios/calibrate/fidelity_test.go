package calibrate

import (
	"strings"
	"testing"

	"github.com/gilsim/gilsim/sim/platform"
)

// Every built-in profile reproduces its reference figures: each figure it
// is held to lies within its tolerance, and each it is not held to says
// why. A change to the model that moves a figure out fails here.
func TestBuiltinProfilesHoldTheirFigures(t *testing.T) {
	for _, name := range platform.Names() {
		source, checks, ok, err := Fidelity(name)
		if err != nil || !ok {
			t.Fatalf("%s: no fidelity table (%v)", name, err)
		}
		if source == "" || len(checks) == 0 {
			t.Fatalf("%s: an empty fidelity table", name)
		}
		unheld := 0
		for _, c := range checks {
			switch {
			case c.Tolerance == 0 && c.Why == "":
				t.Errorf("%s %s %s: not held, and no reason given", name, c.Label, c.Key)
			case c.Tolerance == 0:
				unheld++
			case !c.Held():
				t.Errorf("%s %s %s: reference %g, simulated %g, outside ±%.0f%%", name, c.Label, c.Key, c.Measured, c.Simulated, 100*c.Tolerance)
			case c.Tolerance > 0.65:
				t.Errorf("%s %s %s: a tolerance of ±%.0f%% says nothing", name, c.Label, c.Key, 100*c.Tolerance)
			}
		}
		if unheld*4 > len(checks) {
			t.Errorf("%s: %d of %d figures are not held", name, unheld, len(checks))
		}
		t.Logf("%s: %d figures, %d not held\n%s", name, len(checks), unheld, FormatChecks(checks))
	}
	if _, _, ok, _ := Fidelity("my-laptop"); ok {
		t.Error("a profile file has a fidelity table")
	}
}

// The linux profile is the one calibrate fits to its record: fitting the
// record again gives the knobs the profile holds.
func TestLinuxProfileIsItsRecordFitted(t *testing.T) {
	rec, err := BuiltinRecord(platform.DefaultName)
	if err != nil {
		t.Fatal(err)
	}
	p, err := platform.Load(platform.DefaultName)
	if err != nil {
		t.Fatal(err)
	}
	base := p.Config()
	base.Cores = rec.Machine.CPUs
	got, _, err := Fit(base, rec.Interpreters)
	if err != nil {
		t.Fatal(err)
	}
	want := p.Config()
	want.Cores = rec.Machine.CPUs
	refit := platform.FromConfig("linux", "", got).Format()
	if string(refit) != string(platform.FromConfig("linux", "", want).Format()) {
		t.Errorf("fitting the linux record again gives another profile:\n%s\nwant\n%s", refit, platform.FromConfig("linux", "", want).Format())
	}
	if !strings.Contains(p.Description, rec.Date) {
		t.Errorf("the linux profile's description %q does not give the record's date %s", p.Description, rec.Date)
	}
}
