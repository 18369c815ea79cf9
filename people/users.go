package people

import (
	"crypto/rand"
	"fmt"
	"math/big"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"fritidsjob/fault"
	"fritidsjob/store"
)

// User management for administrators: finding accounts, changing what
// they may do, and taking access away. Every change that narrows or
// widens someone's access raises their SessionEpoch, so sessions opened
// before it end at their next request.

// Errors of user management.
var (
	// ErrYouthRole refuses to add or remove the youth role on its own: a
	// youth is created by a coordinator with a profile, and erased with it.
	ErrYouthRole = fault.New(fault.Conflict, "people.youth_role")
	// ErrOwnAdmin refuses an administrator's removal of their own admin
	// flag, so nobody locks themselves out by a slip.
	ErrOwnAdmin = fault.New(fault.Conflict, "people.own_admin")
	// ErrLastAdmin refuses to remove the admin flag from, or close, the
	// last open administrator account: the installation would have nobody
	// left to manage it.
	ErrLastAdmin = fault.New(fault.Conflict, "people.last_admin")
)

// RoleAdmin names installation administrators in a user search. It is not
// an area role (Valid reports false): admin is a flag on the user.
const RoleAdmin Role = "admin"

// Account states, from the most to the least final, as State reports them.
const (
	StateErased   = "erased"   // a youth whose personal data was erased
	StateDisabled = "disabled" // closed by an administrator
	StateLocked   = "locked"   // locked after too many wrong secrets
	StateNoLogin  = "no_login" // imported history without a PIN yet
	StateActive   = "active"
)

// Account is what an administrator's screens show of a user: the record
// with its password hash, second-factor secret and recovery hashes
// removed, and whether those exist.
type Account struct {
	User  User // Hash, TOTPSecret and RecoveryHashes are always empty
	TOTP  bool // a second factor is enrolled
	Login bool // the account has a password or PIN
}

// State is the account's most final state (one of the State constants).
func (a Account) State() string {
	switch u := a.User; {
	case !u.Erased.IsZero():
		return StateErased
	case !u.Disabled.IsZero():
		return StateDisabled
	case !u.Locked.IsZero():
		return StateLocked
	case !a.Login:
		return StateNoLogin
	}
	return StateActive
}

func accountOf(u User) Account {
	a := Account{User: u, TOTP: u.TOTPSecret != "", Login: u.Hash != ""}
	a.User.Hash, a.User.TOTPSecret, a.User.RecoveryHashes = "", "", nil
	return a
}

// Account returns user id's account for an administrator, with a youth's
// sealed name opened; ErrNotFound for an unknown user.
func (s *Service) Account(id uint64) (Account, error) {
	u, err := s.User(id)
	if err != nil {
		return Account{}, err
	}
	return accountOf(u), nil
}

// UserSearch asks for one page of accounts.
type UserSearch struct {
	// Text is part of a username or display name, in any case; "" for all.
	Text string
	// Role keeps users holding it (in AreaID when set, else in any area);
	// RoleAdmin keeps administrators; "" keeps everyone.
	Role Role
	// AreaID keeps the area's members (any role); 0 for the installation.
	AreaID uint64
	// After is the previous page's Next; "" for the first page.
	After string
	// Limit is the page size: 50 when 0, at most 200.
	Limit int
}

// UserPage is one page of a UserSearch.
type UserPage struct {
	Accounts []Account
	// Next continues the search after this page; "" when there is no more.
	Next string
	// Examined counts the accounts read for this page.
	Examined int
	// Partial means the search stopped at its bound on examined accounts
	// before the page was full; Next goes on from there.
	Partial bool
}

// Page sizes of SearchUsers, and how many accounts one request examines
// at most.
const (
	defaultUserPage    = 50
	maxUserPage        = 200
	defaultSearchBound = 2000
)

// SearchUsers returns one page of accounts that match q, in username order
// through the usernames index, or, with an area, in account-number order
// through the membership index (area, user, role). Pages are keyset pages:
// Next is the key of the last row, and the next page seeks past it
// (store.Tx.ScanAfter), so a deep page costs what the first does.
//
// A youth's name is sealed with the youth's own key, so a search by name
// opens (decrypts) each youth's name as it goes: no index can be built over
// names without keeping them readable. That is acceptable at a programme's
// size (a few thousand accounts, a few milliseconds each thousand), and it
// is bounded: one request examines at most searchBound accounts and, if the
// page is not full by then, returns what it found with Partial set and a
// cursor to go on with. A larger installation would need a keyed
// (HMAC) token index of name parts, kept in the same transaction as the
// name.
// Refuses with invalid input (q, role, cursor).
func (s *Service) SearchUsers(q UserSearch) (UserPage, error) {
	limit := q.Limit
	if limit <= 0 {
		limit = defaultUserPage
	}
	limit = min(limit, maxUserPage)
	text := strings.ToLower(strings.TrimSpace(q.Text))
	if !utf8.ValidString(text) || utf8.RuneCountInString(text) > 80 {
		return UserPage{}, invalid("q", "length")
	}
	if q.Role != "" && q.Role != RoleAdmin && !q.Role.Valid() {
		return UserPage{}, invalid("role", "unknown")
	}
	byArea := q.AreaID != 0
	after, err := decodeUserCursor(q.After, byArea, q.AreaID)
	if err != nil {
		return UserPage{}, err
	}
	var page UserPage
	err = s.db.View(func(tx store.Tx) error {
		if byArea {
			if v, err := tx.Get(bucketAreas, store.ID(q.AreaID)); err != nil {
				return err
			} else if v == nil {
				return fmt.Errorf("area %d: %w", q.AreaID, ErrNotFound)
			}
		}
		us := &userSearch{s: s, tx: tx, q: q, text: text, limit: limit}
		err := us.scan(after)
		page = us.page
		return err
	})
	if err != nil {
		return UserPage{}, fmt.Errorf("search users: %w", err)
	}
	return page, nil
}

// userSearch is one page of SearchUsers inside its read transaction.
type userSearch struct {
	s     *Service
	tx    store.Tx
	q     UserSearch
	text  string // the lower-cased search text
	limit int
	page  UserPage
	// lastRow and lastSeen are the cursors of the page's last row and of
	// the last account examined.
	lastRow, lastSeen string
}

// scan walks the usernames index, or with an area the area's membership
// index, after the cursor, visiting each account once.
func (us *userSearch) scan(after []byte) error {
	tx, q := us.tx, us.q
	if q.AreaID == 0 {
		return tx.ScanAfter(bucketUsernames, nil, after, func(k, v []byte) error {
			id, err := store.ParseID(v, 0)
			if err != nil {
				return err
			}
			return us.visit(id, "u."+string(k))
		})
	}
	var prev uint64
	return tx.ScanAfter(bucketMembers, store.ID(q.AreaID), after, func(k, _ []byte) error {
		id, err := store.ParseID(k, 8)
		if err != nil {
			return err
		}
		if id == prev {
			return nil // another role of the same user in the area
		}
		prev = id
		return us.visit(id, "m."+strconv.FormatUint(id, 10))
	})
}

// visit examines account id at cursor: it adds a match to the page, and
// stops the scan at the bound on examined accounts or at one match beyond
// a full page, setting the page's cursor.
func (us *userSearch) visit(id uint64, cursor string) error {
	page, limit := &us.page, us.limit
	if page.Examined == us.s.searchBound {
		if len(page.Accounts) < limit {
			page.Next, page.Partial = us.lastSeen, true
		} else {
			page.Next = us.lastRow // full already: there may be more
		}
		return store.ErrStop
	}
	page.Examined++
	us.lastSeen = cursor
	u, err := getUser(us.tx, id)
	if err != nil {
		return err
	}
	ok, err := us.s.userMatches(us.tx, &u, us.text, us.q.Role, us.q.AreaID)
	if err != nil || !ok {
		return err
	}
	if len(page.Accounts) == limit { // one match beyond the page: there is a next one
		page.Next = us.lastRow
		return store.ErrStop
	}
	page.Accounts = append(page.Accounts, accountOf(u))
	us.lastRow = cursor
	return nil
}

// userMatches reports whether u passes the search, opening a youth's
// sealed name into u on the way (it is shown if it matches).
func (s *Service) userMatches(tx store.Tx, u *User, text string, role Role, area uint64) (bool, error) {
	switch {
	case role == RoleAdmin:
		if !u.Admin {
			return false, nil
		}
	case role != "" && area != 0:
		if !u.HasRole(area, role) {
			return false, nil
		}
	case role != "":
		if !slices.ContainsFunc(u.Memberships, func(m Membership) bool { return m.Role == role }) {
			return false, nil
		}
	}
	if err := s.revealUser(tx, u); err != nil {
		return false, err
	}
	if text == "" || strings.Contains(u.Username, text) {
		return true, nil
	}
	return strings.Contains(strings.ToLower(u.DisplayName), text), nil
}

// decodeUserCursor turns a page cursor into the index key to seek past:
// "u.<username>" in the usernames index, "m.<user ID>" in an area's part
// of the membership index (past every role the user holds there).
func decodeUserCursor(c string, byArea bool, area uint64) ([]byte, error) {
	if c == "" {
		return nil, nil
	}
	kind, rest, _ := strings.Cut(c, ".")
	switch {
	case kind == "u" && !byArea && rest != "" && len(rest) <= 64:
		return []byte(rest), nil
	case kind == "m" && byArea:
		id, err := strconv.ParseUint(rest, 10, 64)
		if err == nil && id > 0 {
			return append(store.Key(area, id), 0xff), nil // role names are ASCII: 0xff sorts after all of them
		}
	}
	return nil, invalid("cursor", "format")
}

// ChangeMembership adds (add true) or removes one role in one area for
// user id, in the membership index too, and ends the user's sessions. It
// reports false, and changes nothing, when the user already has (or lacks)
// the membership. The youth role is refused (ErrYouthRole), and so are
// area roles for a PIN account (youths log in with a PIN and hold only
// their youth role). Removing the guardian role removes the guardian's
// links to youths of that area as well.
// Refuses with ErrNotFound, ErrYouthRole and invalid input.
func (s *Service) ChangeMembership(id uint64, m Membership, add bool) (bool, error) {
	if m.Role == RoleYouth {
		return false, ErrYouthRole
	}
	if !m.Role.Valid() || m.AreaID == 0 {
		return false, invalid("role", "unknown")
	}
	changed := false
	err := s.db.Update(func(tx store.Tx) error {
		changed = false
		u, err := getUser(tx, id)
		if err != nil {
			return err
		}
		if !u.Erased.IsZero() {
			return ErrErased
		}
		key := store.Key(m.AreaID, id, string(m.Role))
		has := slices.Contains(u.Memberships, m)
		switch {
		case add && !has:
			if u.SecretKind == SecretPIN {
				return invalid("pin", "youth_only")
			}
			if v, err := tx.Get(bucketAreas, store.ID(m.AreaID)); err != nil {
				return err
			} else if v == nil {
				return fmt.Errorf("area %d: %w", m.AreaID, ErrNotFound)
			}
			u.Memberships = append(slices.Clone(u.Memberships), m)
			if err := tx.Put(bucketMembers, key, nil); err != nil {
				return err
			}
		case !add && has:
			u.Memberships = slices.DeleteFunc(slices.Clone(u.Memberships), func(o Membership) bool { return o == m })
			if err := tx.Delete(bucketMembers, key); err != nil {
				return err
			}
			if m.Role == RoleGuardian {
				if err := deleteGuardianLinks(tx, m.AreaID, id); err != nil {
					return err
				}
			}
		default:
			return nil
		}
		u.SessionEpoch++
		changed = true
		return store.PutJSON(tx, bucketUsers, store.ID(id), u)
	})
	if err != nil {
		return false, fmt.Errorf("change membership %d/%s of user %d: %w", m.AreaID, m.Role, id, err)
	}
	return changed, nil
}

// deleteGuardianLinks removes every link of guardian to a youth of area.
func deleteGuardianLinks(tx store.Tx, area, guardian uint64) error {
	var keys [][]byte
	if err := tx.Scan(bucketGuardianLinks, store.Key(area, guardian), func(k, _ []byte) error {
		keys = append(keys, k)
		return nil
	}); err != nil {
		return err
	}
	for _, k := range keys {
		if err := tx.Delete(bucketGuardianLinks, k); err != nil {
			return err
		}
	}
	return nil
}

// SetAdmin gives (admin true) or takes the installation admin flag of user
// id, on behalf of administrator by (0 for the operator's command line),
// and ends the user's sessions. An administrator cannot take their own
// flag (ErrOwnAdmin), the last open administrator keeps it (ErrLastAdmin),
// and PIN accounts (youths) cannot have it.
// Refuses with ErrNotFound, ErrOwnAdmin, ErrLastAdmin and invalid input.
func (s *Service) SetAdmin(id uint64, admin bool, by uint64) error {
	if !admin && id == by {
		return fmt.Errorf("admin flag of user %d: %w", id, ErrOwnAdmin)
	}
	return s.db.Update(func(tx store.Tx) error {
		u, err := getUser(tx, id)
		if err != nil {
			return err
		}
		if !u.Erased.IsZero() {
			return ErrErased
		}
		if u.Admin == admin {
			return nil
		}
		if admin && u.SecretKind == SecretPIN {
			return invalid("admin", "pin_account")
		}
		if !admin {
			if err := keepOneAdmin(tx, id); err != nil {
				return err
			}
		}
		u.Admin = admin
		u.SessionEpoch++
		return store.PutJSON(tx, bucketUsers, store.ID(id), u)
	})
}

// keepOneAdmin returns ErrLastAdmin unless an open administrator account
// other than except exists.
func keepOneAdmin(tx store.Tx, except uint64) error {
	found := false
	err := store.ScanJSON(tx, bucketUsers, nil, func(_ []byte, u User) error {
		if u.ID != except && u.Admin && u.Active() {
			found = true
			return store.ErrStop
		}
		return nil
	})
	if err == nil && !found {
		err = ErrLastAdmin
	}
	return err
}

// GuardianLink is one link from a guardian's account to a youth: the
// youth's username only, so listing a guardian's links opens no youth's
// sealed data.
type GuardianLink struct {
	AreaID   uint64
	YouthID  uint64
	Username string
}

// GuardianLinks lists guardian's links to youths, by area then youth.
func (s *Service) GuardianLinks(guardian uint64) ([]GuardianLink, error) {
	var out []GuardianLink
	err := s.db.View(func(tx store.Tx) error {
		out = out[:0]
		g, err := getUser(tx, guardian)
		if err != nil {
			return err
		}
		for _, area := range g.AreaIDs() {
			if err := tx.Scan(bucketGuardianLinks, store.Key(area, guardian), func(k, _ []byte) error {
				youth, err := store.ParseID(k, 16)
				if err != nil {
					return err
				}
				y, err := getUser(tx, youth)
				if err != nil {
					return err
				}
				out = append(out, GuardianLink{AreaID: area, YouthID: youth, Username: y.Username})
				return nil
			}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("guardian links of user %d: %w", guardian, err)
	}
	return out, nil
}

// UnlinkGuardian removes the link between guardian and youth in area
// (LinkGuardian's opposite): the guardian no longer sees the youth's access
// log or data. ErrNotFound when they were not linked.
func (s *Service) UnlinkGuardian(area, youth, guardian uint64) error {
	err := s.db.Update(func(tx store.Tx) error {
		key := store.Key(area, guardian, youth)
		if v, err := tx.Get(bucketGuardianLinks, key); err != nil {
			return err
		} else if v == nil {
			return ErrNotFound
		}
		return tx.Delete(bucketGuardianLinks, key)
	})
	if err != nil {
		return fmt.Errorf("unlink guardian %d from youth %d in area %d: %w", guardian, youth, area, err)
	}
	return nil
}

// ResetSecret gives user id a new random secret and returns it, to be
// shown once and never stored in plain text: a temporary password of 16
// characters (80 bits) for staff, a six-digit PIN that is not an easy
// pattern for a youth. Like SetSecret it ends the user's sessions; the old
// secret stops working at once.
// Refuses with ErrNotFound, ErrErased.
func (s *Service) ResetSecret(id uint64) (string, error) {
	u, err := s.User(id)
	if err != nil {
		return "", err
	}
	for try := 0; ; try++ {
		var secret string
		if u.SecretKind == SecretPIN {
			secret, err = randomPIN()
		} else {
			secret, err = randomPassword()
		}
		if err != nil {
			return "", err
		}
		err = s.SetSecret(id, secret)
		if fault.KindOf(err) == fault.Invalid && fault.CodeOf(err) == "trivial" && try < 5 {
			continue // the PIN spelt the youth's birth date (about 1 in 300,000)
		}
		if err != nil {
			return "", fmt.Errorf("reset secret of user %d: %w", id, err)
		}
		return secret, nil
	}
}

// randomPassword is four groups of four characters of Crockford's base32
// (no I, L, O or U, so it can be read aloud and typed from paper).
func randomPassword() (string, error) {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("temporary password: %w", err)
	}
	var sb strings.Builder
	for i, c := range b {
		if i > 0 && i%4 == 0 {
			sb.WriteByte('-')
		}
		sb.WriteByte(recoveryAlphabet[c%32]) // 256 is a multiple of 32: no bias
	}
	return sb.String(), nil
}

// randomPIN is PINLength random digits that are neither trivial (see
// trivialPIN) nor easy in the further ways easyPIN names.
func randomPIN() (string, error) {
	for {
		b := make([]byte, PINLength)
		for i := range b {
			n, err := rand.Int(rand.Reader, big.NewInt(10))
			if err != nil {
				return "", fmt.Errorf("PIN: %w", err)
			}
			b[i] = byte('0' + n.Int64())
		}
		if p := string(b); !trivialPIN(p, Date{}) && !easyPIN(p) {
			return p, nil
		}
	}
}

// easyPIN reports, beyond trivialPIN, what a generated PIN should not be
// either: fewer than three different digits (112211) or a run with any
// constant step (135791, 246802).
func easyPIN(p string) bool {
	distinct := map[byte]bool{}
	for i := 0; i < len(p); i++ {
		distinct[p[i]] = true
	}
	if len(distinct) < 3 {
		return true
	}
	step := (int(p[1]) - int(p[0]) + 10) % 10
	for i := 2; i < len(p); i++ {
		if (int(p[i])-int(p[i-1])+10)%10 != step {
			return false
		}
	}
	return true
}

// Lock closes user id's login as too many wrong secrets in a row do, until
// Unlock (the demo data shows a locked account with it).
// Refuses with ErrNotFound.
func (s *Service) Lock(id uint64) error { return s.lock(id) }
