// Package platform holds profiles: named sets of the knobs of sim.Config
// that a machine and its operating system decide, such as how long a
// signalled thread needs to wake up, what a py2 release costs when the
// waiter wakes on another core, the OS time slice, or what fork costs. The
// same model under another profile is another platform: the convoy of an
// echo server beside a CPU-bound thread costs one switch interval a request
// or two depending on the wake-up latency against the length of a send.
//
// A profile is a small JSON file (docs/platforms.md):
//
//	{
//	  "name": "my-machine",
//	  "description": "CPython 3.12 on a 4-core laptop, measured 2027-01-05",
//	  "wake_latency": "40us",
//	  "proc_start_child": {"fork": "3ms", "spawn": "45ms"}
//	}
//
// Durations are Go duration strings; keys are sim.Config's fields in
// snake_case, a start method's costs nested under proc_start_parent and
// proc_start_child. A profile holds only the knobs it sets: Apply sets
// those and leaves every other setting of the Config as it was. The run's
// own settings (Model, Seed, Trace, MaxEvents, MaxTime) are not knobs of a
// platform and have no key. Reading is strict: an unknown key, a key given
// twice, a value of the wrong type or out of the engine's range is refused
// with one sentence naming the key and what it accepts, so a profile that
// loads always gives a Config that validates.
//
// The built-in profiles are embedded from profiles/*.json, each named as
// its file. The default one, linux, holds sim.DefaultConfig's knobs (all
// but the machine's cores and the interpreter's intervals, which are the
// experiment's); a test keeps the two equal.
//
// The package imports only the standard library and sim: it sits under
// sim/, which never depends on the user interface.
package platform

import (
	"bytes"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/gilsim/gilsim/sim"
)

// DefaultName is the name of the default platform, whose knobs are
// sim.DefaultConfig's: the Linux machine gilsim calibrate measured.
const DefaultName = "linux"

// Profile is a named set of knobs of sim.Config. Its zero value sets no
// knob; profiles come from Load, Parse, Builtins or FromConfig.
type Profile struct {
	// Name names the profile: lowercase letters, digits, '-', '.' and '_'.
	Name string
	// Description says in one line where the knobs come from: the
	// publication or the machine, and when.
	Description string
	// File is the file the profile was read from, "" for a built-in one.
	File string
	// values holds the value of every knob set; set marks them, by index
	// in knobs.
	values sim.Config
	set    []bool
}

// Apply sets the knobs the profile holds in cfg and leaves the rest.
func (p *Profile) Apply(cfg *sim.Config) {
	for i, k := range knobs {
		if p.sets(i) {
			k.copyTo(cfg, &p.values)
		}
	}
}

// Config is sim.DefaultConfig with the profile applied.
func (p *Profile) Config() sim.Config {
	cfg := sim.DefaultConfig()
	p.Apply(&cfg)
	return cfg
}

// Sets reports whether the profile holds the knob key ("cores",
// "wake_latency", "proc_start_child.fork").
func (p *Profile) Sets(key string) bool {
	i, ok := knobIndex(key)
	return ok && p.sets(i)
}

func (p *Profile) sets(i int) bool { return i < len(p.set) && p.set[i] }

// Keys lists the knobs the profile holds, in the order it is written.
func (p *Profile) Keys() []string {
	var keys []string
	for i, k := range knobs {
		if p.sets(i) {
			keys = append(keys, k.key)
		}
	}
	return keys
}

// IsDefault reports whether p is the built-in default platform.
func (p *Profile) IsDefault() bool { return p.Name == DefaultName && p.File == "" }

// Format writes the profile as a profile file: indented JSON, name and
// description first, then every knob it sets in the order of sim.Config,
// ending in a newline. Parse reads it back to the same profile.
func (p *Profile) Format() []byte {
	var b bytes.Buffer
	b.WriteString("{\n  \"name\": " + jsonString(p.Name))
	if p.Description != "" {
		b.WriteString(",\n  \"description\": " + jsonString(p.Description))
	}
	group := ""
	for i, k := range knobs {
		if !p.sets(i) {
			continue
		}
		top, sub, nested := strings.Cut(k.key, ".")
		if group != "" && group != top {
			b.WriteString("\n  }")
			group = ""
		}
		switch {
		case !nested:
			b.WriteString(",\n  " + jsonString(k.key) + ": " + k.text(&p.values))
		case group == "":
			group = top
			b.WriteString(",\n  " + jsonString(top) + ": {\n    " + jsonString(sub) + ": " + k.text(&p.values))
		default:
			b.WriteString(",\n    " + jsonString(sub) + ": " + k.text(&p.values))
		}
	}
	if group != "" {
		b.WriteString("\n  }")
	}
	b.WriteString("\n}\n")
	return b.Bytes()
}

// MarshalJSON writes the profile as its file does.
func (p *Profile) MarshalJSON() ([]byte, error) { return p.Format(), nil }

// FromConfig is a profile named name that sets every knob to its value
// in cfg.
func FromConfig(name, description string, cfg sim.Config) *Profile {
	p := &Profile{Name: name, Description: description, values: cfg, set: make([]bool, len(knobs))}
	for i := range p.set {
		p.set[i] = true
	}
	return p
}

// jsonString writes s as a JSON string, without escaping HTML.
func jsonString(s string) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s) // a string always encodes
	return strings.TrimSuffix(b.String(), "\n")
}

//go:embed profiles/*.json
var profileFiles embed.FS

// builtins are the built-in profiles, embedded from profiles/: the
// default first, then the others in name order.
var builtins = loadBuiltins()

func loadBuiltins() []*Profile {
	var out []*Profile
	entries, err := profileFiles.ReadDir("profiles")
	if err != nil {
		panic("platform: built-in profiles: " + err.Error())
	}
	for _, e := range entries {
		data, err := profileFiles.ReadFile("profiles/" + e.Name())
		if err != nil {
			panic("platform: built-in profiles: " + err.Error())
		}
		p, err := Parse(data, e.Name())
		if err != nil {
			panic("platform: built-in " + err.Error())
		}
		if p.Name+".json" != e.Name() {
			panic("platform: built-in profile " + e.Name() + " is named " + strconv.Quote(p.Name))
		}
		if p.Name == DefaultName {
			out = append([]*Profile{p}, out...)
		} else {
			out = append(out, p)
		}
	}
	if len(out) == 0 || out[0].Name != DefaultName {
		panic("platform: the default profile " + DefaultName + ".json is not built in")
	}
	return out
}

// Builtins returns the built-in profiles, the default first.
func Builtins() []*Profile {
	out := make([]*Profile, len(builtins))
	for i, p := range builtins {
		out[i] = p.clone()
	}
	return out
}

// Names lists the built-in profiles' names, the default first.
func Names() []string {
	names := make([]string, len(builtins))
	for i, p := range builtins {
		names[i] = p.Name
	}
	return names
}

func (p *Profile) clone() *Profile {
	c := *p
	c.set = slices.Clone(p.set)
	return &c
}

// ErrUnknown is returned (wrapped) by Load for a name that is neither a
// built-in profile nor a file.
var ErrUnknown = errors.New("unknown platform")

// maxFile is the largest profile file Load reads.
const maxFile = 1 << 20

// Load returns the built-in profile called nameOrPath or, when the name
// ends in .json or holds a path separator, the profile in that file. A
// file may not take a built-in profile's name: a run under it would say it
// ran on that platform.
func Load(nameOrPath string) (*Profile, error) {
	for _, p := range builtins {
		if p.Name == nameOrPath {
			return p.clone(), nil
		}
	}
	if !strings.HasSuffix(strings.ToLower(nameOrPath), ".json") && !strings.ContainsRune(nameOrPath, '/') &&
		!strings.ContainsRune(nameOrPath, filepath.Separator) {
		hint := ""
		if near := nearest(nameOrPath, Names()); near != "" {
			hint = "did you mean " + near + "? "
		}
		return nil, fmt.Errorf("%w %q (%saccepted: %s, or a profile file: a path ending in .json)",
			ErrUnknown, nameOrPath, hint, strings.Join(Names(), ", "))
	}
	data, err := readFile(nameOrPath)
	if err != nil {
		return nil, &Error{Profile: nameOrPath, Reason: err.Error()}
	}
	p, err := Parse(data, nameOrPath)
	if err != nil {
		return nil, err
	}
	if slices.Contains(Names(), p.Name) {
		return nil, &Error{Profile: nameOrPath, Reason: fmt.Sprintf("name %q is a built-in profile's, and a run under this file would say it ran on that platform (accepted: any other name, such as %s-mine)", p.Name, p.Name)}
	}
	p.File = nameOrPath
	return p, nil
}

// readFile reads a profile file, up to maxFile bytes. Its errors say what
// is wrong without repeating the file's name.
func readFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, errors.New(pathReason(err))
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxFile+1))
	if err != nil {
		return nil, errors.New(pathReason(err))
	}
	if len(data) > maxFile {
		return nil, fmt.Errorf("larger than %d KiB, which no profile is", maxFile>>10)
	}
	return data, nil
}

// pathReason is an error of the file system without the operation and the
// path: "no such file or directory".
func pathReason(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

// Error is a profile that cannot be used: which one, and why in one
// sentence naming the key and what it accepts.
type Error struct {
	// Profile is the file, or the built-in profile's file, it came from.
	Profile string
	// Reason is what is wrong, such as `wake_latency "ten": expected a
	// duration of 0 or more, such as 10us`.
	Reason string
}

func (e *Error) Error() string { return "profile " + e.Profile + ": " + e.Reason }

// Parse reads a profile file's content; source names it in errors.
func Parse(data []byte, source string) (*Profile, error) {
	p := &Profile{set: make([]bool, len(knobs))}
	bad := func(format string, args ...any) error {
		return &Error{Profile: source, Reason: fmt.Sprintf(format, args...)}
	}
	named := false
	err := eachMember(data, "", func(key string, raw json.RawMessage) error {
		switch {
		case key == "name":
			var s string
			if json.Unmarshal(raw, &s) != nil || !validName(s) {
				return bad("name %s: expected a name of at most 40 lowercase letters, digits, '-', '.' and '_', such as my-machine", compact(raw))
			}
			p.Name, named = s, true
		case key == "description":
			var s string
			if json.Unmarshal(raw, &s) != nil || strings.ContainsFunc(s, unicode.IsControl) || utf8.RuneCountInString(s) > 300 {
				return bad("description %s: expected one line of text, at most 300 characters, saying where the knobs come from", compact(raw))
			}
			p.Description = s
		case isGroup(key):
			if len(raw) == 0 || raw[0] != '{' {
				return bad("%s %s: expected an object with a duration for each start method it sets (%s), such as {\"fork\": \"2ms\"}",
					key, compact(raw), strings.Join(subKeys(key), ", "))
			}
			return eachMember(raw, key+".", func(sub string, raw json.RawMessage) error {
				i, ok := knobIndex(key + "." + sub)
				if !ok {
					return bad("unknown key %s.%s (accepted under %s: %s)", key, sub, key, strings.Join(subKeys(key), ", "))
				}
				return p.setKnob(i, raw, bad)
			}, bad)
		default:
			i, ok := knobIndex(key)
			if !ok {
				hint := ""
				if near := nearest(key, topKeys()); near != "" {
					hint = "did you mean " + near + "? "
				}
				return bad("unknown key %q (%saccepted: %s)", key, hint, strings.Join(topKeys(), ", "))
			}
			return p.setKnob(i, raw, bad)
		}
		return nil
	}, bad)
	if err != nil {
		return nil, err
	}
	if !named {
		return nil, bad("has no name (accepted: a \"name\" of lowercase letters, digits, '-', '.' and '_', such as \"name\": \"my-machine\")")
	}
	return p, nil
}

// eachMember calls f with each member of the JSON object data, in order,
// refusing anything but one object and a key given twice; prefix is what
// an error puts before a key ("proc_start_child.").
func eachMember(data []byte, prefix string, f func(key string, raw json.RawMessage) error, bad func(string, ...any) error) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	syntax := func(err error) error {
		if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
			return bad("the JSON object is not closed (a profile is one JSON object, as gilsim profile show prints)")
		}
		var se *json.SyntaxError
		offset := dec.InputOffset()
		if errors.As(err, &se) {
			offset = se.Offset
		}
		line := 1 + bytes.Count(data[:min(int(offset), len(data))], []byte("\n"))
		return bad("line %d: %s (a profile is one JSON object, as gilsim profile show prints)", line, strings.TrimPrefix(err.Error(), "json: "))
	}
	tok, err := dec.Token()
	if err != nil {
		return syntax(err)
	}
	if tok != json.Delim('{') {
		return bad("expected a JSON object, as gilsim profile show prints, not %s", describeToken(tok))
	}
	seen := map[string]bool{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return syntax(err)
		}
		key := tok.(string) // an object's member starts with its key
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return syntax(err)
		}
		if seen[key] {
			return bad("key %s is given twice (accepted: each key once)", prefix+key)
		}
		seen[key] = true
		if err := f(key, raw); err != nil {
			return err
		}
	}
	if _, err := dec.Token(); err != nil {
		return syntax(err)
	}
	if _, err := dec.Token(); err != io.EOF {
		if err != nil {
			return syntax(err)
		}
		return bad("more follows the JSON object (a profile is one JSON object, as gilsim profile show prints)")
	}
	return nil
}

// describeToken names what a JSON document holds instead of an object.
func describeToken(tok json.Token) string {
	switch tok.(type) {
	case json.Delim:
		return "an array"
	case string:
		return "a string"
	case float64:
		return "a number"
	case bool:
		return "true or false"
	}
	return "null"
}

// setKnob sets knob i from its JSON value, refusing one of the wrong type
// or out of range with the sentence of what it accepts.
func (p *Profile) setKnob(i int, raw json.RawMessage, bad func(string, ...any) error) error {
	k := knobs[i]
	refuse := func() error { return bad("%s %s: expected %s", k.key, compact(raw), k.accepted()) }
	switch dst := k.field(&p.values).(type) {
	case *time.Duration:
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			def := sim.DefaultConfig()
			return bad("%s %s: expected a duration written as a string, such as %s", k.key, compact(raw), k.text(&def))
		}
		d, err := time.ParseDuration(s)
		if err != nil || float64(d) < k.lo || k.positive && d <= 0 || k.hi > 0 && float64(d) > k.hi {
			return refuse()
		}
		*dst = d
	case *int:
		n, err := strconv.Atoi(string(raw))
		if err != nil || float64(n) < k.lo || float64(n) > k.hi {
			return refuse()
		}
		*dst = n
	case *float64:
		var x float64
		if err := json.Unmarshal(raw, &x); err != nil || x < k.lo || x > k.hi {
			return refuse()
		}
		*dst = x
	case *sim.Policy:
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return refuse()
		}
		pol, err := sim.ParsePolicy(s)
		if err != nil {
			return refuse()
		}
		*dst = pol
	}
	p.set[i] = true
	return nil
}

// compact is a JSON value as it reads in an error: on one line, whole.
func compact(raw json.RawMessage) string {
	var b bytes.Buffer
	if json.Compact(&b, raw) != nil {
		return string(raw)
	}
	return b.String()
}

// CheckName reports, as one sentence, why name cannot name a profile file:
// it is not a valid name, or it is a built-in profile's, which a run under
// the file would then claim to be on.
func CheckName(name string) error {
	if !validName(name) {
		return fmt.Errorf("profile name %q: expected at most 40 lowercase letters, digits, '-', '.' and '_', starting with a letter or digit, such as my-machine", name)
	}
	if slices.Contains(Names(), name) {
		return fmt.Errorf("profile name %q is a built-in profile's (%s): give the file a name of its own", name, strings.Join(Names(), ", "))
	}
	return nil
}

// validName reports whether s is a profile name: 1 to 40 lowercase
// letters, digits, '-', '.' and '_', starting with a letter or digit.
func validName(s string) bool {
	if s == "" || len(s) > 40 {
		return false
	}
	for i, r := range s {
		ok := r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || i > 0 && strings.ContainsRune("-._", r)
		if !ok {
			return false
		}
	}
	return true
}

// nearest returns the accepted key closest to s when it is a likely typo
// (at most two edits away), else "".
func nearest(s string, accepted []string) string {
	best, bestD := "", 3
	for _, a := range accepted {
		if d := distance(s, a); d < bestD {
			best, bestD = a, d
		}
	}
	return best
}

// distance is the Levenshtein distance between a and b.
func distance(a, b string) int {
	prev := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur := make([]int, len(b)+1)
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(b)]
}
