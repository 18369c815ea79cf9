package people

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	_ "time/tzdata" // dates are Copenhagen dates on any machine

	"fritidsjob/store"
)

// Buckets owned by this package.
const (
	bucketAreas     = "areas"     // ID(area) -> Area
	bucketUsers     = "users"     // ID(user) -> User
	bucketUsernames = "usernames" // username -> ID(user)
	bucketMembers   = "members"   // Key(area, user, role) -> empty
	bucketYouths    = "youths"    // Key(area, user) -> Youth
	bucketThrottle  = "throttle"  // Key(kind, ...) -> counter
)

// Options configure a Service.
type Options struct {
	// Now is the clock; time.Now when nil.
	Now func() time.Time
	// Hash sets the argon2id cost; DefaultHashParams when zero.
	Hash HashParams
	// Throttle bounds failed logins; DefaultThrottle when zero.
	Throttle ThrottleLimits
	// Secret is the installation secret (≥ 32 bytes); the youths' data
	// keys are wrapped with a key derived from it.
	Secret []byte
	// OnLock, when set, runs in the transaction that locks an account
	// after too many wrong secrets, to tell those who can unlock it (the
	// notify outbox); its error undoes the lock.
	OnLock func(tx store.Tx, u User) error
	// OnConsentLink, when set, runs in the transaction that creates a
	// consent link, with the link's record and its token, to send the link
	// to the guardian (the notify outbox); its error undoes the link.
	// l.GuardianName is the profile's spelling of the guardian the
	// coordinator named, or "" when the profile names no such guardian.
	OnConsentLink func(tx store.Tx, l ConsentLinkRecord, token string) error
}

// Service manages areas, users, memberships and youth profiles.
type Service struct {
	db store.DB
	// quiet is db for the login throttle's counters: no page shows them,
	// so their writes leave kept pages fresh (store.Quieter).
	quiet     store.DB
	now       func() time.Time
	hash      HashParams
	throttle  ThrottleLimits
	dummyHash string // verified for unknown users so timing does not reveal them
	keys      *keyring
	pepper    []byte // HMAC key for secrets before hashing (see pepper)
	onLock    func(tx store.Tx, u User) error
	onLink    func(tx store.Tx, l ConsentLinkRecord, token string) error
	// searchBound is how many accounts one SearchUsers request examines
	// at most (tests lower it).
	searchBound int
}

// NewService returns a Service on db.
func NewService(db store.DB, o Options) (*Service, error) {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Hash == (HashParams{}) {
		o.Hash = DefaultHashParams
	}
	if o.Throttle == (ThrottleLimits{}) {
		o.Throttle = DefaultThrottle
	}
	keys, err := newKeyring(o.Secret)
	if err != nil {
		return nil, err
	}
	pep := pepper(o.Secret)
	dummy, err := hashSecret("no such user", o.Hash, pep)
	if err != nil {
		return nil, err
	}
	return &Service{db: db, quiet: store.Quiet(db), now: o.Now, hash: o.Hash, throttle: o.Throttle, dummyHash: dummy, keys: keys, pepper: pep, onLock: o.OnLock, onLink: o.OnConsentLink,
		searchBound: defaultSearchBound}, nil
}

// CreateArea adds a housing area. Names are unique (case-insensitive).
// Refuses with ErrAreaNameTaken and invalid input.
func (s *Service) CreateArea(name, municipality string) (Area, error) {
	name, err := cleanText("name", name, 100)
	if err != nil {
		return Area{}, err
	}
	municipality, err = cleanText("municipality", municipality, 100)
	if err != nil {
		return Area{}, err
	}
	a := Area{Name: name, Municipality: municipality, Created: s.now().UTC()}
	err = s.db.Update(func(tx store.Tx) error {
		taken := false
		if err := store.ScanJSON(tx, bucketAreas, nil, func(_ []byte, o Area) error {
			if strings.EqualFold(o.Name, name) {
				taken = true
				return store.ErrStop
			}
			return nil
		}); err != nil {
			return err
		}
		if taken {
			return ErrAreaNameTaken
		}
		id, err := tx.NextID(bucketAreas)
		if err != nil {
			return err
		}
		a.ID = id
		return store.PutJSON(tx, bucketAreas, store.ID(id), a)
	})
	if err != nil {
		return Area{}, fmt.Errorf("create area %q: %w", name, err)
	}
	return a, nil
}

// Area returns the area with id, or ErrNotFound.
func (s *Service) Area(id uint64) (Area, error) {
	var a Area
	err := s.db.View(func(tx store.Tx) error {
		var ok bool
		var err error
		a, ok, err = store.GetJSON[Area](tx, bucketAreas, store.ID(id))
		if err == nil && !ok {
			err = ErrNotFound
		}
		return err
	})
	if err != nil {
		return Area{}, fmt.Errorf("area %d: %w", id, err)
	}
	return a, nil
}

// Areas lists all areas in ID order.
func (s *Service) Areas() ([]Area, error) {
	var out []Area
	err := s.db.View(func(tx store.Tx) error {
		return store.ScanJSON(tx, bucketAreas, nil, func(_ []byte, a Area) error {
			out = append(out, a)
			return nil
		})
	})
	return out, err
}

// NewUser describes an account to create. Youth is required when the user
// gets the youth role, and must name that membership's area.
type NewUser struct {
	Username    string
	DisplayName string
	Secret      string
	SecretKind  SecretKind
	Admin       bool
	Lang        string
	Memberships []Membership
	Youth       *Youth
}

// CreateUser validates and stores a new account (and its youth profile).
// Refuses with ErrUsernameTaken, ErrNotFound and invalid input.
func (s *Service) CreateUser(n NewUser) (User, error) {
	u, y, err := s.prepareUser(n)
	if err != nil {
		return User{}, fmt.Errorf("create user: %w", err)
	}
	hash, err := hashSecret(n.Secret, s.hash, s.pepper) // outside the transaction: it is slow
	if err != nil {
		return User{}, err
	}
	u.Hash = hash
	err = s.db.Update(func(tx store.Tx) error {
		if v, err := tx.Get(bucketUsernames, []byte(u.Username)); err != nil {
			return err
		} else if v != nil {
			return ErrUsernameTaken
		}
		for _, m := range u.Memberships {
			if v, err := tx.Get(bucketAreas, store.ID(m.AreaID)); err != nil {
				return err
			} else if v == nil {
				return fmt.Errorf("area %d: %w", m.AreaID, ErrNotFound)
			}
		}
		id, err := tx.NextID(bucketUsers)
		if err != nil {
			return err
		}
		u.ID = id
		stored := u
		if y != nil { // a youth: the name is sealed with the youth's own key
			if stored.Sealed, err = s.keys.seal(tx, id, sealedName{DisplayName: u.DisplayName}); err != nil {
				return err
			}
			stored.DisplayName = ""
		}
		if err := store.PutJSON(tx, bucketUsers, store.ID(id), stored); err != nil {
			return err
		}
		if err := tx.Put(bucketUsernames, []byte(u.Username), store.ID(id)); err != nil {
			return err
		}
		for _, m := range u.Memberships {
			if err := tx.Put(bucketMembers, store.Key(m.AreaID, id, string(m.Role)), nil); err != nil {
				return err
			}
		}
		if y != nil {
			y.UserID = id
			sy := *y
			if sy.Sealed, err = s.keys.seal(tx, id, sealedYouth{BirthDate: y.BirthDate, Guardians: y.Guardians}); err != nil {
				return err
			}
			sy.BirthDate, sy.Guardians = Date{}, nil
			return store.PutJSON(tx, bucketYouths, store.Key(y.AreaID, id), sy)
		}
		return nil
	})
	if err != nil {
		return User{}, fmt.Errorf("create user %q: %w", u.Username, err)
	}
	return u, nil
}

func (s *Service) prepareUser(n NewUser) (User, *Youth, error) {
	u := User{
		Username:   normUsername(n.Username),
		SecretKind: n.SecretKind,
		Admin:      n.Admin,
		Lang:       n.Lang,
		Created:    s.now().UTC(),
	}
	if err := validUsername(u.Username); err != nil {
		return u, nil, err
	}
	var err error
	if u.DisplayName, err = cleanText("display_name", n.DisplayName, 80); err != nil {
		return u, nil, err
	}
	if !validLang(u.Lang) {
		return u, nil, invalid("lang", "unknown")
	}
	var youthArea uint64
	for _, m := range n.Memberships {
		if !m.Role.Valid() || m.AreaID == 0 {
			return u, nil, invalid("role", "unknown")
		}
		if !slices.Contains(u.Memberships, m) {
			u.Memberships = append(u.Memberships, m)
		}
		if m.Role == RoleYouth {
			youthArea = m.AreaID
		}
	}
	if u.SecretKind == SecretPIN && (youthArea == 0 || u.Admin || len(u.Memberships) != 1) {
		return u, nil, invalid("pin", "youth_only")
	}
	var birth Date
	if n.Youth != nil {
		birth = n.Youth.BirthDate
	}
	if err := validSecret(n.Secret, u.SecretKind, birth); err != nil {
		return u, nil, err
	}
	if youthArea == 0 {
		if n.Youth != nil {
			return u, nil, invalid("youth", "not_youth")
		}
		return u, nil, nil
	}
	if n.Youth == nil {
		return u, nil, invalid("youth", "required")
	}
	y := *n.Youth
	y.AreaID = youthArea
	y.Created = u.Created
	if y.Lang == "" {
		y.Lang = u.Lang
	}
	if err := s.validYouth(&y); err != nil {
		return u, nil, err
	}
	return u, &y, nil
}

func (s *Service) validYouth(y *Youth) error {
	today := DateOf(s.now().In(Copenhagen))
	if y.BirthDate.IsZero() || !y.BirthDate.Before(today) {
		return invalid("birth_date", "required")
	}
	if age := y.BirthDate.AgeOn(today); age < 8 || age > 30 {
		return invalid("birth_date", "age_range")
	}
	if y.Gender == "" {
		y.Gender = GenderUnknown
	}
	if !y.Gender.Valid() {
		return invalid("gender", "unknown")
	}
	if !y.School.Valid() {
		return invalid("school", "unknown")
	}
	if !validLang(y.Lang) {
		return invalid("lang", "unknown")
	}
	if len(y.Guardians) > 4 {
		return invalid("guardians", "too_many")
	}
	for i := range y.Guardians {
		g := &y.Guardians[i]
		var err error
		if g.Name, err = cleanText("guardian_name", g.Name, 80); err != nil {
			return err
		}
		for _, f := range []*string{&g.Relation, &g.Phone, &g.Email} {
			*f = strings.TrimSpace(*f)
			if len(*f) > 100 {
				return invalid("guardian", "length")
			}
		}
	}
	return nil
}

// User returns the user with id, or ErrNotFound.
func (s *Service) User(id uint64) (User, error) {
	var u User
	err := s.db.View(func(tx store.Tx) error {
		var err error
		if u, err = getUser(tx, id); err != nil {
			return err
		}
		return s.revealUser(tx, &u)
	})
	return u, err
}

func getUser(tx store.Tx, id uint64) (User, error) {
	u, ok, err := store.GetJSON[User](tx, bucketUsers, store.ID(id))
	if err == nil && !ok {
		err = ErrNotFound
	}
	if err != nil {
		return User{}, fmt.Errorf("user %d: %w", id, err)
	}
	return u, nil
}

func userByName(tx store.Tx, username string) (User, error) {
	name := normUsername(username)
	if name == "" {
		return User{}, ErrNotFound
	}
	id, err := tx.Get(bucketUsernames, []byte(name))
	if err != nil {
		return User{}, err
	}
	if id == nil {
		return User{}, ErrNotFound
	}
	uid, err := store.ParseID(id, 0)
	if err != nil {
		return User{}, err
	}
	return getUser(tx, uid)
}

// UserCount is the number of accounts (used to refuse demo data in a
// store that already has users).
func (s *Service) UserCount() (int, error) {
	n := 0
	err := s.db.View(func(tx store.Tx) error {
		return tx.Scan(bucketUsers, nil, func(_, _ []byte) error { n++; return nil })
	})
	return n, err
}

// SetLang stores the user's preferred language ("da" or "en").
// Refuses with ErrNotFound and invalid input.
func (s *Service) SetLang(userID uint64, lang string) error {
	if !validLang(lang) || lang == "" {
		return invalid("lang", "unknown")
	}
	return s.db.Update(func(tx store.Tx) error {
		u, err := getUser(tx, userID)
		if err != nil {
			return err
		}
		u.Lang = lang
		return store.PutJSON(tx, bucketUsers, store.ID(userID), u)
	})
}

// SetSecret replaces a user's password or PIN, ends all of the user's
// sessions and lifts a lock for too many wrong secrets (whoever sets a new
// secret has checked who the user is). A youth's PIN may not spell their
// birth date. ErrErased for an erased youth.
// Refuses with ErrNotFound, ErrErased and invalid input.
func (s *Service) SetSecret(userID uint64, secret string) error {
	u, err := s.User(userID)
	if err != nil {
		return err
	}
	var birth Date
	if u.SecretKind == SecretPIN {
		for _, m := range u.Memberships {
			if m.Role == RoleYouth {
				if err := s.db.View(func(tx store.Tx) error {
					y, err := s.YouthTx(tx, m.AreaID, userID)
					birth = y.BirthDate
					return err
				}); err != nil {
					return err
				}
			}
		}
	}
	if err := validSecret(secret, u.SecretKind, birth); err != nil {
		return err
	}
	hash, err := hashSecret(secret, s.hash, s.pepper)
	if err != nil {
		return err
	}
	err = s.db.Update(func(tx store.Tx) error {
		u, err := getUser(tx, userID)
		if err != nil {
			return err
		}
		if !u.Erased.IsZero() {
			return ErrErased
		}
		u.Hash = hash
		u.SessionEpoch++ // whoever knew the old secret is logged out
		u.Locked = time.Time{}
		if err := forgetFailures(tx, u); err != nil {
			return err
		}
		return store.PutJSON(tx, bucketUsers, store.ID(userID), u)
	})
	if err != nil {
		return fmt.Errorf("set secret for user %d: %w", userID, err)
	}
	return nil
}

// YouthView is a youth's account and profile together.
type YouthView struct {
	User  User
	Youth Youth
}

// Youth returns the profile of youth userID in area, or ErrNotFound when the
// youth is not in that area (so a URL naming another area's youth finds
// nothing).
// Refuses with ErrNotFound, ErrUnreadable.
func (s *Service) Youth(areaID, userID uint64) (YouthView, error) {
	var v YouthView
	err := s.db.View(func(tx store.Tx) error {
		y, ok, err := store.GetJSON[Youth](tx, bucketYouths, store.Key(areaID, userID))
		if err != nil {
			return err
		}
		if !ok {
			return ErrNotFound
		}
		u, err := getUser(tx, userID)
		if err != nil {
			return err
		}
		v = YouthView{User: u, Youth: y}
		return s.revealView(tx, &v)
	})
	if err != nil {
		return YouthView{}, fmt.Errorf("youth %d in area %d: %w", userID, areaID, err)
	}
	return v, nil
}

// YouthTx reads youth userID's profile in area (decrypted) inside another
// package's transaction, so a check that depends on the profile (age,
// school status) sees the same state as the write it guards.
// Refuses with ErrNotFound, ErrUnreadable.
func (s *Service) YouthTx(tx store.Tx, areaID, userID uint64) (Youth, error) {
	y, err := youthRaw(tx, areaID, userID)
	if err != nil {
		return Youth{}, err
	}
	if err := s.revealYouth(tx, &y); err != nil {
		return Youth{}, err
	}
	return y, nil
}

// youthRaw reads the stored profile without decrypting it: enough to know
// the youth exists in the area.
func youthRaw(tx store.Tx, areaID, userID uint64) (Youth, error) {
	y, ok, err := store.GetJSON[Youth](tx, bucketYouths, store.Key(areaID, userID))
	if err == nil && !ok {
		err = ErrNotFound
	}
	if err != nil {
		return Youth{}, fmt.Errorf("youth %d in area %d: %w", userID, areaID, err)
	}
	return y, nil
}

// YouthsInArea lists the area's youths by display name. A youth whose
// sealed data does not open is left out and counted in unreadable
// ('fritidsjob check' names them), so one damaged record cannot take a
// whole area's pages down.
func (s *Service) YouthsInArea(areaID uint64) (out []YouthView, unreadable int, err error) {
	err = s.db.View(func(tx store.Tx) error {
		out, unreadable = out[:0], 0
		return store.ScanJSON(tx, bucketYouths, store.ID(areaID), func(_ []byte, y Youth) error {
			u, err := getUser(tx, y.UserID)
			if err != nil {
				return err
			}
			v := YouthView{User: u, Youth: y}
			if err := s.revealView(tx, &v); errors.Is(err, ErrUnreadable) {
				unreadable++
				return nil
			} else if err != nil {
				return err
			}
			out = append(out, v)
			return nil
		})
	})
	slices.SortFunc(out, func(a, b YouthView) int { return strings.Compare(a.User.DisplayName, b.User.DisplayName) })
	return out, unreadable, err
}

// Members lists the users holding role in area.
func (s *Service) Members(areaID uint64, role Role) ([]User, error) {
	var out []User
	err := s.db.View(func(tx store.Tx) error {
		return tx.Scan(bucketMembers, store.ID(areaID), func(k, _ []byte) error {
			if string(k[16:len(k)-1]) != string(role) {
				return nil
			}
			uid, err := store.ParseID(k, 8)
			if err != nil {
				return err
			}
			u, err := getUser(tx, uid)
			if err != nil {
				return err
			}
			if err := s.revealUser(tx, &u); err != nil {
				return err
			}
			out = append(out, u)
			return nil
		})
	})
	return out, err
}

// Copenhagen is the zone every date in the programme is read in.
var Copenhagen = mustZone("Europe/Copenhagen")

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		// time/tzdata is embedded above, so this cannot happen; fall back to
		// a fixed CET rather than crash.
		return time.FixedZone("CET", 3600)
	}
	return loc
}
