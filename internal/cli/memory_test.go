package cli

import "testing"

// TestHeapLimit: a small live heap gets no limit; a large one what is live,
// the runtime's own memory and half as much again, at least 96 MiB more.
func TestHeapLimit(t *testing.T) {
	const mib = 1 << 20
	tests := []struct {
		live, own uint64
		want      int64 // 0: none
	}{
		{32 * mib, 8 * mib, 0},
		{63 * mib, 8 * mib, 0},
		{64 * mib, 8 * mib, (64 + 8 + 96) * mib},
		{161 * mib, 9 * mib, (161 + 9 + 96) * mib}, // a million items
		{400 * mib, 10 * mib, (400 + 10 + 200) * mib},
	}
	for _, tt := range tests {
		got, ok := heapLimit(tt.live, tt.own)
		if !ok {
			got = 0
		}
		if got != tt.want {
			t.Errorf("heapLimit(%d MiB live) = %d MiB, want %d MiB", tt.live/mib, got/mib, tt.want/mib)
		}
	}
}
