package syntax

import (
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkParse parses a program of about 300 lines with threads,
// processes and asyncio.
func BenchmarkParse(b *testing.B) {
	src, err := os.ReadFile(filepath.Join("testdata", "programs", "convoy_server.py"))
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse("convoy_server.py", src); err != nil {
			b.Fatal(err)
		}
	}
}
