package inbox

import (
	"bytes"
	"errors"
	"strings"

	"github.com/emersion/go-msgauth/dkim"
)

// maxSignatures bounds the DKIM signatures checked in one message.
const maxSignatures = 5

// checkDKIM reports whether raw carries a valid DKIM signature by domain or
// by a parent domain of it (relaxed alignment, as DMARC has it; the
// signing domain must publish the key, so no one else can sign for it).
// temp is true when no aligned signature verified but one could not be
// checked for a temporary reason (its key's lookup failed); why says what
// went wrong.
func (s *Server) checkDKIM(raw []byte, domain string) (ok, temp bool, why string) {
	verifs, err := dkim.VerifyWithOptions(bytes.NewReader(raw), &dkim.VerifyOptions{
		LookupTXT: s.opt.LookupTXT, MaxVerifications: maxSignatures})
	if err != nil && !errors.Is(err, dkim.ErrTooManySignatures) {
		return false, false, "unreadable message: " + err.Error()
	}
	why = "no signature"
	for _, v := range verifs {
		d := strings.ToLower(strings.TrimSuffix(v.Domain, "."))
		if d != domain && !strings.HasSuffix(domain, "."+d) {
			if why == "no signature" {
				why = "signed by " + d + ", not " + domain
			}
			continue
		}
		if v.Err == nil {
			return true, false, ""
		}
		why = v.Err.Error()
		if dkim.IsTempFail(v.Err) {
			temp = true
		}
	}
	return false, temp, why
}
