package parse

// Org is an organisation to recognise in items.
type Org struct {
	Name    string   // the canonical short form ("NCSC"), reported in model.Item.Orgs
	Aliases []string // full names and variants ("National Cyber Security Centre")
}

// DefaultOrgs returns the organisations that the LGA's cyber, digital and
// technology bulletins mention most. Each call returns a fresh slice.
func DefaultOrgs() []Org {
	return []Org{
		{Name: "NCSC", Aliases: []string{"National Cyber Security Centre"}},
		{Name: "DSIT", Aliases: []string{"Department for Science, Innovation and Technology", "Department of Science, Innovation and Technology", "Department for Science, Innovation & Technology"}},
		{Name: "CCS", Aliases: []string{"Crown Commercial Service", "Crown Commercial Services"}},
		{Name: "DfE", Aliases: []string{"Department for Education"}},
		{Name: "ONS", Aliases: []string{"Office for National Statistics"}},
		{Name: "Ofcom"},
		{Name: "LGA", Aliases: []string{"Local Government Association"}},
		{Name: "GDS", Aliases: []string{"Government Digital Service"}},
		{Name: "Cabinet Office"},
		{Name: "Socitm", Aliases: []string{"SOCITM"}},
		{Name: "Solace", Aliases: []string{"SOLACE"}},
		{Name: "techUK", Aliases: []string{"TechUK"}},
		{Name: "BCS", Aliases: []string{"The Chartered Institute for IT", "British Computer Society"}},
		{Name: "Good Things Foundation"},
		{Name: "Ada Lovelace Institute"},
		{Name: "Microsoft"},
		{Name: "NHS", Aliases: []string{"National Health Service"}},
		{Name: "MHCLG", Aliases: []string{"Ministry of Housing, Communities and Local Government", "DLUHC", "Department for Levelling Up, Housing and Communities"}},
		{Name: "ICO", Aliases: []string{"Information Commissioner's Office", "Information Commissioner’s Office"}},
		{Name: "CDDO", Aliases: []string{"Central Digital and Data Office"}},
		{Name: "Local Digital", Aliases: []string{"Local Digital team"}},
		{Name: "iNetwork"},
	}
}
