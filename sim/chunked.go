package sim

// chunkLen is how many elements a chunk of a chunked sequence holds.
const chunkLen = 1024

// chunked is an append-only sequence kept in chunks of chunkLen. A copy
// (clone) shares every chunk with the original; appending on either side
// never writes where the other can see, and costs the copy at most one
// partial chunk. A plain slice shared the same way would be copied whole
// by the first append after a clone: a cost that grows with the run,
// paid on every step back of the player.
type chunked[T any] struct {
	full [][]T // chunks of exactly chunkLen elements, never written again
	tail []T   // the last chunk, shorter than chunkLen
}

// add appends x.
func (c *chunked[T]) add(x T) {
	if len(c.tail) == cap(c.tail) {
		// New, or a clone's tail: a chunk of its own.
		c.tail = append(make([]T, 0, chunkLen), c.tail...)
	}
	c.tail = append(c.tail, x)
	if len(c.tail) == chunkLen {
		c.full = append(c.full, c.tail)
		c.tail = nil
	}
}

// len returns the number of elements.
func (c *chunked[T]) len() int { return len(c.full)*chunkLen + len(c.tail) }

// appendTo appends every element, in order, to dst and returns it.
func (c *chunked[T]) appendTo(dst []T) []T {
	for _, f := range c.full {
		dst = append(dst, f...)
	}
	return append(dst, c.tail...)
}

// clone returns a copy sharing c's chunks, with no room to append in
// place: its first append moves its tail (shorter than a chunk) to new
// memory, and its first full chunk its list of chunks. c goes on
// appending in place, beyond the end the copy can see.
func (c chunked[T]) clone() chunked[T] {
	c.full = c.full[:len(c.full):len(c.full)]
	c.tail = c.tail[:len(c.tail):len(c.tail)]
	return c
}
