package cli

import (
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/lga-digital/bulletin/internal/crawl"
	"github.com/lga-digital/bulletin/internal/run"
)

// importFiles ingests saved .html pages and .eml e-mails into a source.
func (a *app) importFiles(ctx context.Context, args []string) error {
	fs := a.flags("import")
	id := fs.String("source", "", "the source the files belong to (required when there are several)")
	files, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(files) == 0 {
		return &usageError{"import needs at least one .html or .eml file"}
	}
	cfg, err := a.setup()
	if err != nil {
		return err
	}
	if *id == "" && len(cfg.Sources) > 1 {
		return &usageError{"import: --source is required when the config has several sources"}
	}
	srcs, err := sources(cfg, *id)
	if err != nil {
		return err
	}
	src := srcs[0]
	st, idx, err := a.stores(cfg)
	if err != nil {
		return err
	}
	defer idx.Close()
	c := &crawl.Crawler{Store: st, Index: idx, Log: a.log, Orgs: cfg.Orgs}
	total := run.Summary{Source: src.ID}
	var failed []string
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			a.log.Error("import: "+err.Error(), "source", src.ID, "file", f)
			failed = append(failed, f)
			total.Failed++
			continue
		}
		sum, err := c.Import(ctx, src, f, data)
		if err != nil {
			failed = append(failed, f)
		}
		total.Discovered += sum.Discovered
		total.Fetched += sum.Fetched
		total.Editions += sum.Editions
		total.Items += sum.Items
		total.Skipped += sum.Skipped
		total.Failed += sum.Failed
		total.Duration += sum.Duration
	}
	printSummaries(a.stdout, []run.Summary{total})
	if len(failed) > 0 {
		return fmt.Errorf("import failed for %s (see the log above)", strings.Join(failed, ", "))
	}
	return nil
}
