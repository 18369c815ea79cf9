package cv

import (
	"slices"

	"fritidsjob/people"
)

// clean trims and bounds every field.
func clean(c *CV) error {
	if c.Template != "compact" {
		c.Template = "clean"
	}
	if c.Lang != "en" {
		c.Lang = "da"
	}
	for _, step := range []func(*CV) error{cleanTexts, checkCounts, cleanItems, cleanLanguages, cleanWords, cleanReferences} {
		if err := step(c); err != nil {
			return err
		}
	}
	c.Education = dropEmpty(c.Education)
	c.OwnWork = dropEmpty(c.OwnWork)
	c.Skills = slices.DeleteFunc(c.Skills, func(s string) bool { return s == "" })
	c.Interests = slices.DeleteFunc(c.Interests, func(s string) bool { return s == "" })
	c.Languages = slices.DeleteFunc(c.Languages, func(l Language) bool { return l.Name == "" })
	c.References = slices.DeleteFunc(c.References, func(r Ref) bool { return r.Name == "" })
	return nil
}

// cleanTexts cleans the single-line fields and the profile.
func cleanTexts(c *CV) error {
	short := []struct {
		f    *string
		name string
	}{{&c.Headline, "headline"}, {&c.Phone, "phone"}, {&c.Email, "email"}, {&c.Town, "town"}}
	for _, x := range short {
		if err := cleanFields(x.name, x.f); err != nil {
			return err
		}
	}
	var err error
	c.Profile, err = text("profile", c.Profile, maxLong)
	return err
}

// checkCounts refuses lists longer than maxItems.
func checkCounts(c *CV) error {
	lists := []struct {
		name string
		n    int
	}{{"education", len(c.Education)}, {"own_work", len(c.OwnWork)}, {"languages", len(c.Languages)},
		{"skills", len(c.Skills)}, {"interests", len(c.Interests)}, {"references", len(c.References)}}
	for _, l := range lists {
		if l.n > maxItems {
			return invalid(l.name, "too_many")
		}
	}
	return nil
}

// cleanItems cleans education and the youth's own work.
func cleanItems(c *CV) error {
	for _, items := range [][]Item{c.Education, c.OwnWork} {
		for i := range items {
			if err := cleanFields("item", &items[i].Title, &items[i].Place, &items[i].Period); err != nil {
				return err
			}
		}
	}
	return nil
}

func cleanLanguages(c *CV) error {
	for i := range c.Languages {
		if err := cleanFields("language", &c.Languages[i].Name, &c.Languages[i].Level); err != nil {
			return err
		}
	}
	return nil
}

// cleanWords cleans skills and interests.
func cleanWords(c *CV) error {
	for _, list := range [][]string{c.Skills, c.Interests} {
		for i := range list {
			if err := cleanFields("item", &list[i]); err != nil {
				return err
			}
		}
	}
	return nil
}

func cleanReferences(c *CV) error {
	for i := range c.References {
		r := &c.References[i]
		if err := cleanFields("reference", &r.Name, &r.Relation, &r.Contact); err != nil {
			return err
		}
	}
	return nil
}

// cleanFields cleans each of fs in place as a short text; an error names
// field.
func cleanFields(field string, fs ...*string) error {
	for _, f := range fs {
		v, err := text(field, *f, maxShort)
		if err != nil {
			return err
		}
		*f = v
	}
	return nil
}

func dropEmpty(items []Item) []Item {
	return slices.DeleteFunc(items, func(i Item) bool { return i.Title == "" })
}

// text trims s and refuses over-long values, invalid UTF-8 and control
// characters other than newlines.
func text(field, s string, max int) (string, error) {
	s, code := people.CleanText(s, max, false, true)
	if code != "" {
		return "", invalid(field, code)
	}
	return s, nil
}
