package ui

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/session"

	"fritidsjob/people"
)

// Keys of values kept in fiber.Ctx locals and in the session.
const (
	ctxSession = "fj.session"
	ctxSessID  = "fj.session.id" // the ID as a string: a saved session object is recycled by fiber
	ctxUser    = "fj.user"
	ctxArea    = "fj.area"
	// ctxPending is the user whose password was right but whose second
	// factor is not yet given; only the TOTP pages read it.
	ctxPending = "fj.pending"

	sessUser = "uid"  // uint64 user ID
	sessSeen = "seen" // int64 Unix seconds of the last request
	sessBorn = "born" // int64 Unix seconds of the login: the absolute lifetime counts from here
	// sessEpoch is the user's SessionEpoch at login (uint64); the session
	// speaks for the user only while the user's epoch is unchanged.
	sessEpoch = "epoch"
	// sessRemember marks a staff session whose cookie outlives the
	// browser ("husk mig" on a personal device); every other session
	// cookie ends when the browser closes (shared youth-club PCs).
	sessRemember = "remember"
	seenEvery    = 300 // seconds between "seen" updates (each is a store write)
	// sessPending marks a session that has passed the password but not the
	// second factor: int64 Unix seconds of the password step. A full
	// session does not have the key.
	sessPending = "mfa_pending"
	pendingMax  = 600 // seconds to give the second factor before starting over
)

// randomToken returns 256 bits from crypto/rand, base64url: session IDs and
// pre-session IDs. fiber's default, a UUIDv4, has only 122 random bits.
func randomToken() string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		// crypto/rand.Read never fails on Linux (Go ≥ 1.24 it aborts instead).
		panic(fmt.Sprintf("crypto/rand: %v", err))
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// loadSession finds the caller's session and user. An unknown, expired or
// idle session ID is never adopted: the caller is anonymous and a new ID
// is issued only at login.
func (a *App) loadSession(c *fiber.Ctx) error {
	sid := c.Cookies(a.cookies.session)
	if sid == "" {
		return c.Next() // anonymous: no store read, no session created
	}
	gen, haveGen := a.generation(c)
	if haveGen && (c.Method() == fiber.MethodGet || c.Method() == fiber.MethodHead) {
		if st, ok := a.logins.get(sid, gen.all); ok && a.resume(c, sid, st) {
			return c.Next()
		}
	}
	if err := a.adoptSession(c, sid, gen, haveGen); err != nil {
		return err
	}
	return c.Next()
}

// adoptSession reads the session sid from the store and, while it still
// speaks for its user, puts the user in the request's locals (the pending
// user, before the second factor). Otherwise the caller stays anonymous.
func (a *App) adoptSession(c *fiber.Ctx, sid string, gen generations, haveGen bool) error {
	sess, err := a.sessions.Get(c)
	if err != nil {
		return fmt.Errorf("load session: %w", err)
	}
	c.Locals(ctxSession, sess)
	c.Locals(ctxSessID, sess.ID())
	uid, ok := sess.Get(sessUser).(uint64)
	if !ok || sess.Fresh() {
		return nil
	}
	now := a.cfg.Now().Unix()
	st := loginState{}
	st.seen, _ = sess.Get(sessSeen).(int64)
	st.born, _ = sess.Get(sessBorn).(int64)
	st.epoch, _ = sess.Get(sessEpoch).(uint64)
	u, live, err := a.sessionUser(c, sess, uid, st, now)
	if err != nil || !live {
		return err
	}
	st.user = u
	if since, pending := sess.Get(sessPending).(int64); pending {
		// Password right, second factor still to come: not logged in. The
		// session ID is kept (it is the CSRF basis of the TOTP form) but
		// only pages with Access.Pending see the user.
		if now-since >= pendingMax {
			if err := sess.Destroy(); err != nil {
				return fmt.Errorf("end pending session: %w", err)
			}
			return nil
		}
		st.pending, st.pendingSince = true, since
		c.Locals(ctxPending, &u)
		a.keepLogin(sid, gen, haveGen, st)
		return nil
	}
	c.Locals(ctxUser, &u)
	if now-st.seen >= seenEvery {
		return a.touchSession(c, sess, now) // the save raised the generation: nothing to keep
	}
	a.keepLogin(sid, gen, haveGen, st)
	return nil
}

// sessionUser is the user the session sess (of user uid, in state st)
// speaks for, with live true. Past its lifetime or idle, or when the user
// is gone or their sessions were revoked since this login, it speaks for
// nobody: live is false, and the session is destroyed (a revoked one's
// cookie cleared too) unless the user is gone.
func (a *App) sessionUser(c *fiber.Ctx, sess *session.Session, uid uint64, st loginState, now int64) (u people.User, live bool, err error) {
	// Refreshing "seen" re-saves the session, which restarts the store's
	// expiry; the absolute lifetime is therefore checked here, from login.
	if a.expired(st, now) {
		if err := sess.Destroy(); err != nil {
			return people.User{}, false, fmt.Errorf("end idle session: %w", err)
		}
		return people.User{}, false, nil
	}
	u, err = a.people.User(uid)
	if errors.Is(err, people.ErrNotFound) {
		return people.User{}, false, nil
	}
	if err != nil {
		return people.User{}, false, err
	}
	if !u.SessionValid(st.epoch) {
		// Erased, disabled, or logged out everywhere since this login
		// (a new secret, a role change): the session is void.
		if err := sess.Destroy(); err != nil {
			return people.User{}, false, fmt.Errorf("end revoked session: %w", err)
		}
		c.ClearCookie(a.cookies.session)
		return people.User{}, false, nil
	}
	return u, true, nil
}

// touchSession records that the session was seen now, which saves it.
func (a *App) touchSession(c *fiber.Ctx, sess *session.Session, now int64) error {
	sess.Set(sessSeen, now)
	if err := a.saveSession(c, sess); err != nil {
		return err
	}
	// Save hands sess back to fiber's pool; load it again for the
	// handlers that end or replace it (logout, login, second factor).
	sess, err := a.sessions.Get(c)
	if err != nil {
		return fmt.Errorf("reload session: %w", err)
	}
	c.Locals(ctxSession, sess)
	return nil
}

// loginState is what loadSession derived from a session and its user,
// kept in App.logins under the store generation (all writes, sessions'
// included) it was read at. While the
// generation is unchanged neither the session nor the user has changed,
// so a GET can resume from it without reading and decoding both again;
// the time limits are checked afresh on every request.
type loginState struct {
	user         people.User
	epoch        uint64
	seen, born   int64
	pending      bool
	pendingSince int64
}

func (a *App) keepLogin(sid string, gen generations, haveGen bool, st loginState) {
	if haveGen {
		a.logins.put(sid, gen.all, st)
	}
}

// expired reports whether a session has been idle too long or has reached
// its absolute lifetime.
func (a *App) expired(st loginState, now int64) bool {
	return now-st.seen >= int64(a.cfg.SessionIdle.Seconds()) || now-st.born >= int64(a.cfg.SessionMax.Seconds())
}

// resume logs the request in from a kept loginState. It declines (and
// loadSession takes the long way) whenever the session needs a write:
// expired, pending too long, or "seen" due for a refresh.
func (a *App) resume(c *fiber.Ctx, sid string, st loginState) bool {
	now := a.cfg.Now().Unix()
	if a.expired(st, now) || !st.user.SessionValid(st.epoch) {
		return false
	}
	u := st.user
	u.Memberships = slices.Clone(u.Memberships)
	u.Sealed = slices.Clone(u.Sealed)
	u.RecoveryHashes = slices.Clone(u.RecoveryHashes)
	switch {
	case st.pending && now-st.pendingSince < pendingMax:
		c.Locals(ctxPending, &u)
	case !st.pending && now-st.seen < seenEvery:
		c.Locals(ctxUser, &u)
	default:
		return false
	}
	c.Locals(ctxSessID, sid)
	return true
}

// session is the request's fiber session: the one loadSession read, or,
// when it resumed from a kept loginState, read now. It is nil without a
// session cookie.
func (a *App) session(c *fiber.Ctx) (*session.Session, error) {
	if sess, ok := c.Locals(ctxSession).(*session.Session); ok && sess != nil {
		return sess, nil
	}
	if c.Cookies(a.cookies.session) == "" {
		return nil, nil
	}
	sess, err := a.sessions.Get(c)
	if err != nil {
		return nil, fmt.Errorf("load session: %w", err)
	}
	c.Locals(ctxSession, sess)
	return sess, nil
}

// currentUser is the logged-in user, or nil.
func currentUser(c *fiber.Ctx) *people.User {
	u, _ := c.Locals(ctxUser).(*people.User)
	return u
}

// pendingUser is the user who has given the right password and still owes
// the second factor, or nil.
func pendingUser(c *fiber.Ctx) *people.User {
	u, _ := c.Locals(ctxPending).(*people.User)
	return u
}

// startSession logs u in: any old session is deleted and a new ID issued,
// so an ID planted before login (fixation) is worthless after it. With
// remember, a staff member's cookie outlives the browser.
func (a *App) startSession(c *fiber.Ctx, u people.User, remember bool) error {
	return a.newSession(c, u, false, remember)
}

// startPendingSession records that u gave the right password and must now
// give the second factor. It too deletes any old session and issues a new
// ID; giving the second factor issues yet another (startSession).
func (a *App) startPendingSession(c *fiber.Ctx, u people.User, remember bool) error {
	return a.newSession(c, u, true, remember)
}

func (a *App) newSession(c *fiber.Ctx, u people.User, pending, remember bool) error {
	old, err := a.session(c)
	if err != nil {
		return err
	}
	if old != nil {
		if err := old.Destroy(); err != nil {
			return fmt.Errorf("end old session: %w", err)
		}
	}
	c.Request().Header.DelCookie(a.cookies.session)
	c.Locals(ctxSession, nil)
	sess, err := a.sessions.Get(c)
	if err != nil {
		return fmt.Errorf("new session: %w", err)
	}
	if !sess.Fresh() {
		// Cannot happen after DelCookie; refuse rather than reuse an ID.
		return errors.New("new session: got an existing ID")
	}
	sess.Set(sessUser, u.ID)
	sess.Set(sessEpoch, u.SessionEpoch)
	sess.Set(sessSeen, a.cfg.Now().Unix())
	sess.Set(sessBorn, a.cfg.Now().Unix())
	if pending {
		sess.Set(sessPending, a.cfg.Now().Unix())
	}
	if remember && u.SecretKind == people.SecretPassword { // never a youth's PIN session
		sess.Set(sessRemember, true)
	}
	c.Locals(ctxSessID, sess.ID())
	return a.saveSession(c, sess)
}

// saveSession stores sess. fiber then sends a cookie that ends with the
// browser (CookieSessionOnly); for a remembered session it is replaced by
// one that lasts until the session's absolute lifetime ends. Save hands
// sess back to fiber's pool: the caller must not use it afterwards.
func (a *App) saveSession(c *fiber.Ctx, sess *session.Session) error {
	id := sess.ID()
	remember, _ := sess.Get(sessRemember).(bool)
	born, _ := sess.Get(sessBorn).(int64)
	if err := sess.Save(); err != nil {
		return fmt.Errorf("save session: %w", err)
	}
	if !remember {
		return nil
	}
	now := a.cfg.Now()
	left := time.Unix(born, 0).Add(a.cfg.SessionMax).Sub(now)
	if left <= 0 {
		return nil
	}
	c.Cookie(&fiber.Cookie{Name: a.cookies.session, Value: id, Path: "/", MaxAge: int(left.Seconds()),
		Expires: now.Add(left), Secure: a.cfg.Secure, HTTPOnly: true, SameSite: fiber.CookieSameSiteLaxMode})
	return nil
}

// endSession deletes the session server-side and clears the cookie.
func (a *App) endSession(c *fiber.Ctx) error {
	sess, err := a.session(c)
	if err != nil {
		return err
	}
	if sess != nil {
		if err := sess.Destroy(); err != nil {
			return fmt.Errorf("logout: %w", err)
		}
	}
	c.Locals(ctxUser, nil)
	c.Locals(ctxPending, nil)
	c.ClearCookie(a.cookies.session)
	return nil
}
