// Command export measures the evaluation panel export.
//
// Part 1 (ratio): -youths × -years panel rows (default 100,000 × 10 = 1M)
// written by evaluation.PanelWriter and, in the same run, by a bare
// encoding/csv writer over the same rows (values formatted with strconv),
// both to io.Discard, so the ratio compares the writers and nothing else.
// The rows come from an in-memory generator; pseudonyms are computed once
// per youth before timing, for both.
//
// Part 2 (store): -store-youths youths with participation records in a
// real bbolt file, exported as the full evaluator ZIP (persons, panel,
// events, counts, codebook; deflate) to a file, reported as panel rows/s.
//
// Peak RSS is read from /proc/self/status (VmHWM) after each part; the
// peak is reset before each part through /proc/self/clear_refs where the
// kernel allows it.
//
//	go run ./bench/export [-youths 100000] [-years 10] [-store-youths 20000]
package main

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"strconv"
	"strings"
	"time"

	"fritidsjob/evaluation"
	"fritidsjob/participation"
	"fritidsjob/people"
	"fritidsjob/store"
	"fritidsjob/store/bolt"
)

func main() {
	youths := flag.Int("youths", 100_000, "youths in the in-memory ratio run")
	years := flag.Int("years", 10, "calendar years per youth")
	storeYouths := flag.Int("store-youths", 20_000, "youths in the bbolt run (0 = skip)")
	dir := flag.String("dir", os.TempDir(), "directory for the bbolt file")
	flag.StringVar(&profile, "cpuprofile", "", "write a CPU profile of the bbolt part (panel pass and ZIP) to this file")
	flag.Parse()
	if err := run(*youths, *years, *storeYouths, *dir); err != nil {
		fmt.Fprintln(os.Stderr, "export:", err)
		os.Exit(1)
	}
}

// run times the panel writer against encoding/csv on youths × years
// generated rows in memory, then (unless storeYouths is 0) the export from
// a bbolt store of storeYouths youths.
func run(youths, years, storeYouths int, dir string) error {
	key := bytes.Repeat([]byte{7}, 32)
	ps, err := evaluation.NewPseudonymizer(key)
	if err != nil {
		return err
	}
	ids := make([]string, youths)
	nums := make([]int64, youths)
	for i := range ids {
		ids[i] = ps.ID(uint64(i + 1))
		nums[i] = evaluation.NumericID(ids[i])
	}
	rows := youths * years
	gen := panelGen(youths, years, ids, nums)
	runtime.GC()
	resetPeak()
	s1 := sampleAnon()
	// Baseline: encoding/csv with strconv-formatted fields.
	base := timeIt(func() error { return csvBaseline(gen) })
	ours := timeIt(func() error {
		pw, err := evaluation.NewPanelWriter(io.Discard)
		if err != nil {
			return err
		}
		if err := gen(pw.Write); err != nil {
			return err
		}
		return pw.Flush()
	})
	if base.err != nil || ours.err != nil {
		return fmt.Errorf("ratio run: %v %v", base.err, ours.err)
	}
	fmt.Printf("panel rows:                        %9d (%d youths × %d years, in memory → io.Discard)\n", rows, youths, years)
	fmt.Printf("bare encoding/csv writer:          %9.0f rows/s  (%v)\n", float64(rows)/base.d.Seconds(), base.d.Round(time.Millisecond))
	fmt.Printf("evaluation.PanelWriter:            %9.0f rows/s  (%v)  = %.2f × encoding/csv\n",
		float64(rows)/ours.d.Seconds(), ours.d.Round(time.Millisecond), base.d.Seconds()/ours.d.Seconds())
	fmt.Printf("peak RSS after part 1:             VmHWM %s; peak RssAnon %d kB (incl. %d pseudonyms held for the generator)\n", vmHWM(), s1.Peak(), youths)
	if storeYouths <= 0 {
		return nil
	}
	return storeRun(storeYouths, years, dir, float64(rows)/base.d.Seconds())
}

// panelGen returns a generator of youths × years synthetic panel rows,
// with the youths' pseudonyms ids and numeric IDs nums.
func panelGen(youths, years int, ids []string, nums []int64) func(fn func(evaluation.PanelRow) error) error {
	return func(fn func(evaluation.PanelRow) error) error {
		for i := 0; i < youths; i++ {
			first := 0
			if i%2 == 0 {
				first = 2016 + i%years
			}
			for y := 0; y < years; y++ {
				year := 2016 + y
				r := evaluation.PanelRow{YouthID: uint64(i + 1), ID: ids[i], IDNum: nums[i], Year: year, FirstTreat: first,
					Age: year - (2004 + i%6), Gender: genders[i%4], AreaID: uint64(1 + i%3), Participant: first != 0,
					Registered: year >= 2015+i%4, Participated: first != 0 && year >= first && (i+y)%3 == 0,
					Minutes: (i + y) % 7 * 30, JobMonths: (i * y) % 13}
				r.HasLeisureJob = r.JobMonths > 0
				if first != 0 {
					r.RelYear = year - first
				}
				if err := fn(r); err != nil {
					return err
				}
			}
		}
		return nil
	}
}

// csvBaseline writes gen's rows with encoding/csv and strconv-formatted
// fields to io.Discard: the baseline PanelWriter is compared with.
func csvBaseline(gen func(fn func(evaluation.PanelRow) error) error) error {
	cw := csv.NewWriter(bufio.NewWriterSize(io.Discard, 64<<10))
	if err := cw.Write(evaluation.PanelColumns); err != nil {
		return err
	}
	rec := make([]string, len(evaluation.PanelColumns))
	err := gen(func(r evaluation.PanelRow) error {
		rec[0] = r.ID
		rec[1] = strconv.FormatInt(r.IDNum, 10)
		rec[2] = strconv.Itoa(r.Year)
		rec[3] = strconv.Itoa(r.FirstTreat)
		rec[4] = ""
		if r.FirstTreat != 0 {
			rec[4] = strconv.Itoa(r.RelYear)
		}
		rec[5] = strconv.Itoa(r.Age)
		rec[6] = string(r.Gender)
		rec[7] = strconv.FormatUint(r.AreaID, 10)
		rec[8] = "comparison"
		if r.Participant {
			rec[8] = "participant"
		}
		rec[9] = b01(r.Registered)
		rec[10] = b01(r.Participated)
		rec[11] = strconv.FormatFloat(float64(r.Minutes)/60, 'f', 2, 64)
		rec[12] = b01(r.HasLeisureJob)
		rec[13] = strconv.Itoa(r.JobMonths)
		return cw.Write(rec)
	})
	cw.Flush()
	if err != nil {
		return err
	}
	return cw.Error()
}

// profile names the CPU profile file ("" = none).
var profile string

var genders = []people.Gender{people.GenderFemale, people.GenderMale, people.GenderOther, people.GenderUnknown}

func b01(v bool) string {
	if v {
		return "1"
	}
	return "0"
}

type timing struct {
	d   time.Duration
	err error
}

func timeIt(fn func() error) timing {
	start := time.Now()
	err := fn()
	return timing{time.Since(start), err}
}

// storeRun fills a bbolt file with n youths (half of them participants
// with three to five records, a third of those with a job spell) and
// exports the evaluator ZIP over years years.
func storeRun(n, years int, dir string, csvRate float64) error {
	tmp, err := os.MkdirTemp(dir, "fj-export-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	db, err := bolt.Open(filepath.Join(tmp, "e.db"), bolt.Options{})
	if err != nil {
		return err
	}
	defer db.Close()
	now := func() time.Time { return time.Date(2026, 11, 25, 12, 0, 0, 0, people.Copenhagen) }
	secret := []byte(strings.Repeat("s", 40))
	ppl, err := people.NewService(db, people.Options{Secret: secret, Now: now, Hash: people.HashParams{MemoryKiB: 8, Time: 1, Threads: 1}})
	if err != nil {
		return err
	}
	area, err := ppl.CreateArea("Bench", "Aarhus")
	if err != nil {
		return err
	}
	first := 2026 - years + 1
	start := time.Now()
	spellOf, err := fillStore(db, ppl, area.ID, n, years, first)
	if err != nil {
		return err
	}
	fmt.Printf("\nbbolt store: %d youths, %d job spells built in %v\n", n, len(spellOf), time.Since(start).Round(time.Millisecond))
	keys, err := evaluation.NewKeyStore(db, secret, now)
	if err != nil {
		return err
	}
	spells := func(_ store.Tx, _ uint64, fn func(evaluation.Spell) error) error {
		for _, s := range spellOf {
			if err := fn(s); err != nil {
				return err
			}
		}
		return nil
	}
	exp, err := evaluation.NewExporter(evaluation.Deps{DB: db, People: ppl, Spells: spells, Keys: keys, Now: now})
	if err != nil {
		return err
	}
	o := evaluation.Options{Areas: []uint64{area.ID}, FromYear: first, ToYear: 2026}
	return timeExport(exp, o, tmp, csvRate)
}

// fillStore adds n youths to area in batches of 2,000 per transaction
// (half of them participants with three to five records, a third of those
// with a job spell, which it returns).
func fillStore(db store.DB, ppl *people.Service, area uint64, n, years, first int) ([]evaluation.Spell, error) {
	var spellOf []evaluation.Spell
	for done := 0; done < n; {
		batch := min(2000, n-done)
		err := db.Update(func(tx store.Tx) error {
			for i := done; i < done+batch; i++ {
				sp, err := addBenchYouth(tx, ppl, area, i, years, first)
				if err != nil {
					return err
				}
				if sp != nil {
					spellOf = append(spellOf, *sp)
				}
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
		done += batch
	}
	return spellOf, nil
}

// addBenchYouth adds youth number i in tx: every other one a participant
// with records, and every sixth with a job spell.
func addBenchYouth(tx store.Tx, ppl *people.Service, area uint64, i, years, first int) (*evaluation.Spell, error) {
	birth := people.Date{Year: 2000 + i%10, Month: time.Month(1 + i%12), Day: 1 + i%28}
	reg := time.Date(first+i%years, 3, 1, 12, 0, 0, 0, people.Copenhagen)
	id, err := ppl.CreateYouthTx(tx, area, "Bench "+strconv.Itoa(i), people.Youth{BirthDate: birth,
		Gender: genders[i%4], Created: reg})
	if err != nil {
		return nil, err
	}
	if i%2 == 1 {
		return nil, nil
	}
	y := first + i%years
	for k := 0; k < 3+i%3; k++ {
		d := fmt.Sprintf("%04d-%02d-%02d", min(y+k/2, 2026), 1+k*2, 10)
		if _, _, err := participation.Append(tx, participation.Record{AreaID: area, YouthID: id, Date: d,
			Type: evaluation.AllTypes[k%3], Minutes: 60 + 30*k, Source: "bench:" + strconv.Itoa(i) + ":" + strconv.Itoa(k)}); err != nil {
			return nil, err
		}
	}
	if i%3 != 0 {
		return nil, nil
	}
	end := people.Date{Year: min(y+1, 2026), Month: 8, Day: 31}
	return &evaluation.Spell{YouthID: id, Start: people.Date{Year: y, Month: 6, Day: 1}, End: &end}, nil
}

// timeExport times one panel pass and the full evaluator ZIP (into tmp)
// and prints their rates and the peak memory.
func timeExport(exp *evaluation.Exporter, o evaluation.Options, tmp string, csvRate float64) error {
	runtime.GC()
	resetPeak()
	s2 := sampleAnon()
	var rowsN int
	if profile != "" {
		pf, err := os.Create(profile)
		if err != nil {
			return err
		}
		pprof.StartCPUProfile(pf)
	}
	t := timeIt(func() error {
		return exp.EachPanelRow(o, func(evaluation.PanelRow) error { rowsN++; return nil })
	})
	if t.err != nil {
		return t.err
	}
	fmt.Printf("EachPanelRow from bbolt:           %9.0f rows/s  (%d rows, %v) = %.2f × bare encoding/csv\n",
		float64(rowsN)/t.d.Seconds(), rowsN, t.d.Round(time.Millisecond), float64(rowsN)/t.d.Seconds()/csvRate)
	f, err := os.Create(filepath.Join(tmp, "export.zip"))
	if err != nil {
		return err
	}
	defer f.Close()
	t = timeIt(func() error { return exp.WriteZIP(f, o, evaluation.Actor{Role: people.RoleSystem}) })
	if t.err != nil {
		return t.err
	}
	if profile != "" {
		pprof.StopCPUProfile()
	}
	st, _ := f.Stat()
	fmt.Printf("full evaluator ZIP from bbolt:     %9.0f panel rows/s (%v, %.1f MB zip; 3 passes + deflate)\n",
		float64(rowsN)/t.d.Seconds(), t.d.Round(time.Millisecond), float64(st.Size())/1e6)
	fmt.Printf("peak RSS during part 2:            VmHWM %s, which counts the memory-mapped bbolt file's pages; peak RssAnon %d kB\n", vmHWM(), s2.Peak())
	return nil
}

// anonSampler samples RssAnon (anonymous memory: the Go heap and stacks,
// not the memory-mapped bbolt file) every 10 ms and keeps the maximum.
type anonSampler struct {
	stop chan struct{}
	done chan int
}

func sampleAnon() *anonSampler {
	a := &anonSampler{stop: make(chan struct{}), done: make(chan int)}
	go func() {
		peak := 0
		t := time.NewTicker(10 * time.Millisecond)
		defer t.Stop()
		for {
			if kb := rssAnonKB(); kb > peak {
				peak = kb
			}
			select {
			case <-a.stop:
				a.done <- peak
				return
			case <-t.C:
			}
		}
	}()
	return a
}

// Peak stops sampling and returns the highest RssAnon seen, in kB.
func (a *anonSampler) Peak() int { close(a.stop); return <-a.done }

func rssAnonKB() int {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "RssAnon:"); ok {
			n, _ := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")))
			return n
		}
	}
	return 0
}

// resetPeak resets VmHWM to the current RSS (Linux ≥ 4.0); ignored where
// not allowed.
func resetPeak() { os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) }

func vmHWM() string {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return "unknown"
	}
	var hwm, anon string
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			hwm = strings.TrimSpace(v)
		}
		if v, ok := strings.CutPrefix(line, "RssAnon:"); ok {
			anon = strings.TrimSpace(v)
		}
	}
	return hwm + " (RssAnon now " + anon + ")"
}
