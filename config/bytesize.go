package config

import (
	"fmt"
	"strconv"
	"strings"
)

// ByteSize is a number of bytes, written as a plain integer or with a
// binary unit: "512KiB", "10MiB", "1GiB".
type ByteSize int64

var byteUnits = []struct {
	suffix string
	n      ByteSize
}{{"GiB", 1 << 30}, {"MiB", 1 << 20}, {"KiB", 1 << 10}, {"B", 1}}

// UnmarshalText implements encoding.TextUnmarshaler.
func (b *ByteSize) UnmarshalText(text []byte) error {
	s := strings.TrimSpace(string(text))
	mult := ByteSize(1)
	for _, u := range byteUnits {
		if num, ok := strings.CutSuffix(s, u.suffix); ok {
			s, mult = strings.TrimSpace(num), u.n
			break
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n <= 0 || n > int64(1<<40/mult) {
		return fmt.Errorf("want a size like \"10MiB\", \"512KiB\" or a number of bytes, got %q", text)
	}
	*b = ByteSize(n) * mult
	return nil
}

// UnmarshalTOML accepts a TOML integer (bytes) or string ("10MiB").
func (b *ByteSize) UnmarshalTOML(v any) error {
	switch v := v.(type) {
	case int64:
		return b.UnmarshalText([]byte(strconv.FormatInt(v, 10)))
	case string:
		return b.UnmarshalText([]byte(v))
	}
	return fmt.Errorf("want a size like \"10MiB\" or a number of bytes, got %v", v)
}

// MarshalText implements encoding.TextMarshaler: the largest unit that
// divides the size evenly.
func (b ByteSize) MarshalText() ([]byte, error) {
	for _, u := range byteUnits {
		if b >= u.n && b%u.n == 0 {
			if u.n == 1 {
				return []byte(strconv.FormatInt(int64(b), 10)), nil
			}
			return []byte(strconv.FormatInt(int64(b/u.n), 10) + u.suffix), nil
		}
	}
	return []byte(strconv.FormatInt(int64(b), 10)), nil
}
