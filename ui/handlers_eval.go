package ui

import (
	"bufio"
	"errors"
	"slices"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"fritidsjob/employers"
	"fritidsjob/evaluation"
	"fritidsjob/participation"
	"fritidsjob/people"
	"fritidsjob/store"
)

// newEvaluation builds the export and import services on the app's store.
// Job spells come from the employer pipeline.
func newEvaluation(cfg Config, d Deps) (*evaluation.Exporter, *evaluation.Importer, error) {
	keys, err := evaluation.NewKeyStore(d.DB, cfg.Secret, cfg.Now)
	if err != nil {
		return nil, nil, err
	}
	spells := func(tx store.Tx, area uint64, fn func(evaluation.Spell) error) error {
		return employers.ForEachSpell(tx, area, func(sp employers.JobSpell) error {
			return fn(evaluation.Spell{YouthID: sp.YouthID, Start: sp.Start, End: sp.End})
		})
	}
	exp, err := evaluation.NewExporter(evaluation.Deps{DB: d.DB, People: d.People, Spells: spells, Keys: keys, Now: cfg.Now})
	if err != nil {
		return nil, nil, err
	}
	return exp, evaluation.NewImporter(d.DB, d.People, cfg.Now), nil
}

// evaluatorAreas are the areas in which the current user is an evaluator.
func (a *App) evaluatorAreas(c *fiber.Ctx) ([]people.Area, error) {
	u := currentUser(c)
	var out []people.Area
	for _, id := range u.AreaIDs() {
		if !u.HasRole(id, people.RoleEvaluator) {
			continue
		}
		area, err := a.people.Area(id)
		if err != nil {
			return nil, err
		}
		out = append(out, area)
	}
	return out, nil
}

// evaluatorOptions reads the export options from the query, within the
// areas the current user evaluates.
func (a *App) evaluatorOptions(c *fiber.Ctx) (evaluation.Options, error) {
	areas, err := a.evaluatorAreas(c)
	if err != nil {
		return evaluation.Options{}, err
	}
	return a.exportOptions(c, areas)
}

// exportOptions reads areas, period and start types from the query;
// missing values default to all of allowed, the last five years and every
// type. An area outside allowed is refused (403).
func (a *App) exportOptions(c *fiber.Ctx, allowed []people.Area) (evaluation.Options, error) {
	year := a.cfg.Now().In(people.Copenhagen).Year()
	o := evaluation.Options{FromYear: year - 5, ToYear: year}
	if v := c.Query("from"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			return o, fieldError("export_period", "format")
		}
		o.FromYear = n
	}
	if v := c.Query("to"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			return o, fieldError("export_period", "format")
		}
		o.ToYear = n
	}
	if o.FromYear > o.ToYear || o.ToYear-o.FromYear > 40 || o.FromYear < 1990 || o.ToYear > year+1 {
		return o, fieldError("export_period", "range")
	}
	for _, v := range c.Context().QueryArgs().PeekMulti("area") {
		id, err := strconv.ParseUint(string(v), 10, 64)
		if err != nil || !slices.ContainsFunc(allowed, func(ar people.Area) bool { return ar.ID == id }) {
			return o, fiber.ErrForbidden
		}
		o.Areas = append(o.Areas, id)
	}
	if len(o.Areas) == 0 {
		for _, ar := range allowed {
			o.Areas = append(o.Areas, ar.ID)
		}
	}
	for _, v := range c.Context().QueryArgs().PeekMulti("start") {
		t := participation.Type(v)
		if !t.Valid() {
			return o, fieldError("export_start", "unknown")
		}
		o.StartTypes = append(o.StartTypes, t)
	}
	return o, nil
}

// evalPage lets an evaluator choose areas, a period and the activities
// that define the start, shows the built-in event-study chart for that
// choice (and a gender), and downloads the pseudonymised ZIP.
func (a *App) evalPage(c *fiber.Ctx) error {
	areas, err := a.evaluatorAreas(c)
	if err != nil {
		return err
	}
	o, err := a.exportOptions(c, areas)
	if err != nil {
		return err
	}
	chart, err := a.chartData(c, o)
	if err != nil {
		return err
	}
	return a.render(c, fiber.StatusOK, &evaluationPage{chartView: chart,
		Areas: areas, From: o.FromYear, To: o.ToYear, Types: evaluation.AllTypes, Chosen: chosenAreas(o.Areas)})
}

// evalExport streams the evaluator ZIP. It is checked and written to the
// access log before the first byte goes out.
func (a *App) evalExport(c *fiber.Ctx) error {
	o, err := a.evaluatorOptions(c)
	if err != nil {
		return err
	}
	release, err := a.exports.take(currentUser(c).ID, time.Now())
	if err != nil {
		return err
	}
	p, err := a.eval.PrepareZIP(o, evaluation.Actor{ID: currentUser(c).ID, Role: string(people.RoleEvaluator)})
	if err != nil {
		release()
		return err
	}
	name := "fritidsjob-evaluering-" + a.cfg.Now().In(people.Copenhagen).Format("2006-01-02") + ".zip"
	return a.stream(c, "application/zip", name, p, release)
}

// stream sends a prepared export with fasthttp's body stream writer, so
// the file is never held whole in memory. An error in the middle can no
// longer change the status: it is logged and the download ends short (a
// ZIP without its directory does not open). release is called when the
// stream ends.
func (a *App) stream(c *fiber.Ctx, contentType, filename string, p *evaluation.Prepared, release func()) error {
	c.Set(fiber.HeaderContentType, contentType)
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+filename+`"`)
	c.Set(fiber.HeaderCacheControl, "no-store")
	rid := requestID(c)
	log := a.log
	// The server's 30 s write timeout would cut a large export short: a
	// million panel rows take 10–20 s here, more on a slow line.
	if err := c.Context().SetWriteDeadline(time.Now().Add(exportWriteTimeout)); err != nil {
		log.Debug("export write deadline not set", "rid", rid, "err", err)
	}
	c.Context().SetBodyStreamWriter(func(w *bufio.Writer) {
		defer release()
		if err := p.Stream(w); err != nil {
			log.Error("export stream failed", "rid", rid, "err", err)
			return
		}
		if err := w.Flush(); err != nil {
			log.Warn("export stream not delivered", "rid", rid, "err", err)
		}
	})
	return nil
}

// exportWriteTimeout bounds how long one export download may take.
const exportWriteTimeout = 15 * time.Minute

// adminEvaluation is the administrator's evaluation page: import of
// history, the Statistics Denmark linkage file and the export key.
func (a *App) adminEvaluation(c *fiber.Ctx) error {
	return a.renderAdminEval(c, fiber.StatusOK, &adminEvaluationPage{basePage: basePage{Done: a.doneMessage(c)}})
}

// renderAdminEval shows the administrator's evaluation page p, with what
// the handler put in it (a message, an import's report or bad rows).
func (a *App) renderAdminEval(c *fiber.Ctx, status int, p *adminEvaluationPage) error {
	areas, err := a.people.Areas()
	if err != nil {
		return err
	}
	ps, err := a.eval.Keys().Current()
	if err != nil {
		return err
	}
	year := a.cfg.Now().In(people.Copenhagen).Year()
	p.Areas, p.Fingerprint, p.From, p.To = areas, ps.Fingerprint(), year-5, year
	return a.render(c, status, p)
}

// importUpload imports the uploaded CSV files all or nothing and shows
// the report, or each bad row in the admin's language.
func (a *App) importUpload(c *fiber.Ctx) error {
	noFiles := &adminEvaluationPage{basePage: basePage{Error: a.msg.T(a.lang(c), "evalx.import.no_files")}}
	form, err := c.MultipartForm()
	if err != nil {
		return a.renderAdminEval(c, fiber.StatusBadRequest, noFiles)
	}
	var inputs []evaluation.Input
	for _, fh := range form.File["files"] {
		f, err := fh.Open()
		if err != nil {
			return err
		}
		defer f.Close()
		inputs = append(inputs, evaluation.Input{Name: fh.Filename, Data: f})
	}
	if len(inputs) == 0 {
		return a.renderAdminEval(c, fiber.StatusBadRequest, noFiles)
	}
	rep, err := a.importer.Import(inputs...)
	var ie *evaluation.ImportError
	if errors.As(err, &ie) {
		lang := a.lang(c)
		p := &adminEvaluationPage{basePage: basePage{Error: a.msg.T(lang, "evalx.import.refused")}, RowErrors: a.msg.importRows(lang, ie.Rows)}
		if ie.Total > len(ie.Rows) {
			p.RowErrorsShown = a.msg.N(lang, "evalx.import.shown", len(ie.Rows), formatCount(lang, ie.Total))
		}
		return a.renderAdminEval(c, fiber.StatusUnprocessableEntity, p)
	}
	if err != nil {
		return err
	}
	names := ""
	for i, in := range inputs {
		if i > 0 {
			names += ", "
		}
		names += in.Name
	}
	if err := a.people.LogAccess(people.AccessEntry{ActorID: currentUser(c).ID, ActorRole: "admin", Action: people.AccessChange,
		What: "evaluation_import", Detail: names + ": " + strconv.Itoa(rep.Youths) + " youths, " + strconv.Itoa(rep.Events) + " events, " + strconv.Itoa(rep.Spells) + " spells, " + strconv.Itoa(rep.Corrected) + " youths corrected, " + strconv.Itoa(rep.Replaced) + " events replaced"}); err != nil {
		return err
	}
	return a.renderAdminEval(c, fiber.StatusOK, &adminEvaluationPage{Report: &rep})
}

// dstLinkage streams the Statistics Denmark linkage file (CPR, pseudonym,
// programme start, area): administrators only, written to the access log.
func (a *App) dstLinkage(c *fiber.Ctx) error {
	areas, err := a.people.Areas()
	if err != nil {
		return err
	}
	if len(c.Context().QueryArgs().PeekMulti("area")) == 0 {
		return fieldError("export_area", "required")
	}
	o, err := a.exportOptions(c, areas)
	if errors.Is(err, fiber.ErrForbidden) {
		return fiber.ErrNotFound // an area that does not exist
	}
	if err != nil {
		return err
	}
	release, err := a.exports.take(currentUser(c).ID, time.Now())
	if err != nil {
		return err
	}
	p, err := a.eval.PrepareLinkage(o, evaluation.Actor{ID: currentUser(c).ID, Role: "admin"})
	if err != nil {
		release()
		return err
	}
	name := "dst-kobling-" + a.cfg.Now().In(people.Copenhagen).Format("2006-01-02") + ".csv"
	return a.stream(c, "text/csv; charset=utf-8", name, p, release)
}

// rotateExportKey gives the export a new key: later exports get new
// pseudonyms that cannot be joined with earlier ones.
func (a *App) rotateExportKey(c *fiber.Ctx) error {
	if _, err := a.eval.Keys().Rotate(); err != nil {
		return err
	}
	if err := a.people.LogAccess(people.AccessEntry{ActorID: currentUser(c).ID, ActorRole: "admin", Action: people.AccessChange,
		What: "export_key", Detail: "rotated " + a.cfg.Now().UTC().Format(time.RFC3339)}); err != nil {
		return err
	}
	return c.Redirect("/admin/evaluation?done=key_rotated", fiber.StatusSeeOther)
}

// chosenAreas is the set of area IDs a form should show as ticked.
func chosenAreas(ids []uint64) map[uint64]bool {
	m := make(map[uint64]bool, len(ids))
	for _, id := range ids {
		m[id] = true
	}
	return m
}
