package config

import (
	"reflect"
	"strings"
)

// Masked returns a copy of the config fit to print: every string field whose
// key names a secret (token, secret, password) is replaced by "********".
func (c *Config) Masked() Config {
	out := *c
	out.Sources = append([]Source(nil), c.Sources...)
	mask(reflect.ValueOf(&out).Elem())
	for i := range out.Sources {
		mask(reflect.ValueOf(&out.Sources[i]).Elem())
	}
	return out
}

func mask(v reflect.Value) {
	t := v.Type()
	for i := range t.NumField() {
		f, key := v.Field(i), strings.ToLower(t.Field(i).Tag.Get("toml"))
		if f.Kind() == reflect.String && f.CanSet() && f.String() != "" &&
			(strings.Contains(key, "token") || strings.Contains(key, "secret") || strings.Contains(key, "password")) {
			f.SetString("********")
		}
	}
}
