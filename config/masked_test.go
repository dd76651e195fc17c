package config

import (
	"reflect"
	"testing"
)

func TestMasked(t *testing.T) {
	type withSecret struct {
		Name  string `toml:"name"`
		Token string `toml:"admin_token"`
		Pass  string `toml:"smtp_password"`
		Empty string `toml:"api_secret"`
	}
	v := withSecret{Name: "n", Token: "t0ken", Pass: "pw"}
	mask(reflect.ValueOf(&v).Elem())
	if v != (withSecret{Name: "n", Token: "********", Pass: "********"}) {
		t.Errorf("masked = %+v", v)
	}
	c, err := Shipped(nil)
	if err != nil {
		t.Fatal(err)
	}
	m := c.Masked()
	if m.Listen != c.Listen || len(m.Sources) != len(c.Sources) || &m.Sources[0] == &c.Sources[0] {
		t.Errorf("Masked must copy: %+v", m)
	}
}
