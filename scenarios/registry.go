package scenarios

// registry lists the scenarios in the order gilsim shows them: the
// article's central claims first, then its code examples by section.
var registry = []*Scenario{
	cpuBound,
	ioBound,
	convoy,
	echoClient,
	lockContention,
	counterRace,
	threadStart,
	threadLock,
	processStart,
	processQueue,
	processQueueFixed,
	asyncioBasic,
	asyncioBlocking,
	asyncioNonblocking,
}

func init() {
	// A built-in scenario names its sections once, in ArticleSections.
	for _, s := range registry {
		s.Sections = nil
		for _, sec := range s.ArticleSections {
			s.Sections = append(s.Sections, sec.Number)
		}
	}
}
