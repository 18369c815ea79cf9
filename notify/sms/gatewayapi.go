package sms

// GatewayAPI (gatewayapi.com, OnlineCity, Denmark). What this file follows,
// from the provider's public documentation:
//   - https://gatewayapi.com/docs/authentication: "Authorization: Token <token>"
//     (the Token scheme; HTTP basic with the token as user name also works).
//   - https://gatewayapi.com/docs/apis/rest: POST /rest/mtsms with a JSON
//     object {sender (≤ 11 alphanumeric characters or 15 digits), message
//     (UTF-8, transcoded by "encoding", default GSM-7; "UCS2" for other
//     text), recipients: [{msisdn: 4512345678}], userref (an opaque
//     reference returned in delivery statuses)}; success is 200 with
//     {ids: [<id>], usage: {…}}; an error is a 4xx/5xx with
//     {code: "0x0216", message: "…", incident_uuid: "…", variables: […]}.
//     The EU platform is https://gatewayapi.eu (the default base here).
//   - https://gatewayapi.com/docs/webhooks: incoming (MO) SMS are POSTed to
//     a webhook as JSON {id, msisdn, receiver, message, senttime, …},
//     signed by a JWT (HS256, the webhook's shared secret) in the
//     X-Gwapi-Signature header whose claims are the same fields.

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"fritidsjob/notify"
)

// DefaultGatewayAPIURL is GatewayAPI's EU platform.
const DefaultGatewayAPIURL = "https://gatewayapi.eu"

// GatewayAPI is the Gateway of GatewayAPI's REST API.
type GatewayAPI struct {
	base   string
	token  string
	client *http.Client
}

// NewGatewayAPI returns the gateway at base (DefaultGatewayAPIURL, or a
// test server) authenticating with token. client nil means a client
// whose only deadline is the context's, keeping up to 32 connections to
// the gateway open for a worker that sends several messages at once.
func NewGatewayAPI(base, token string, client *http.Client) *GatewayAPI {
	if client == nil {
		t := http.DefaultTransport.(*http.Transport).Clone()
		t.MaxIdleConnsPerHost = 32
		client = &http.Client{Transport: t}
	}
	return &GatewayAPI{base: strings.TrimRight(base, "/"), token: token, client: client}
}

// MTRequest is GatewayAPI's body of POST /rest/mtsms (the fields we use).
type MTRequest struct {
	Sender     string      `json:"sender,omitempty"`
	Message    string      `json:"message"`
	Recipients []Recipient `json:"recipients"`
	UserRef    string      `json:"userref,omitempty"`
	Encoding   string      `json:"encoding,omitempty"` // "UCS2", or "" for GSM-7
}

// Recipient is one recipient of an MTRequest; MSISDN is the number with
// its country code and no "+".
type Recipient struct {
	MSISDN uint64 `json:"msisdn"`
}

// MTResponse is GatewayAPI's answer to a sent message.
type MTResponse struct {
	IDs []uint64 `json:"ids"`
}

// APIError is GatewayAPI's error body.
type APIError struct {
	Status       int    `json:"-"`
	Code         string `json:"code"`
	Message      string `json:"message"`
	IncidentUUID string `json:"incident_uuid,omitempty"`
}

func (e *APIError) Error() string {
	return fmt.Sprintf("gatewayapi: HTTP %d, code %s: %s", e.Status, e.Code, e.Message)
}

// MSISDN returns "+4512345678" as 4512345678. Refuses anything else.
func MSISDN(phone string) (uint64, error) {
	n, err := strconv.ParseUint(strings.TrimPrefix(phone, "+"), 10, 64)
	if err != nil || !strings.HasPrefix(phone, "+") {
		return 0, fmt.Errorf("not an international number: %q", phone)
	}
	return n, nil
}

// Send posts s to /rest/mtsms, as UCS-2 only when its text is not GSM-7.
// A 4xx answer other than 429 is permanent (notify.Permanent, with the
// provider's code and message); 429, 5xx, timeouts and network errors
// are retried.
func (g *GatewayAPI) Send(ctx context.Context, s SMS) (string, error) {
	msisdn, err := MSISDN(s.To)
	if err != nil {
		return "", notify.Permanent(err)
	}
	req := MTRequest{Sender: s.Sender, Message: s.Text, Recipients: []Recipient{{msisdn}}, UserRef: s.Ref}
	if !IsGSM7(s.Text) {
		req.Encoding = "UCS2"
	}
	body, err := json.Marshal(req)
	if err != nil {
		return "", notify.Permanent(err)
	}
	hr, err := http.NewRequestWithContext(ctx, http.MethodPost, g.base+"/rest/mtsms", bytes.NewReader(body))
	if err != nil {
		return "", notify.Permanent(err)
	}
	hr.Header.Set("Authorization", "Token "+g.token)
	hr.Header.Set("Content-Type", "application/json")
	hr.Header.Set("Accept", "application/json")
	resp, err := g.client.Do(hr)
	if err != nil {
		return "", fmt.Errorf("gatewayapi: %w", err) // the token is in a header, never in err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if err != nil {
		return "", fmt.Errorf("gatewayapi: read answer: %w", err)
	}
	if resp.StatusCode/100 != 2 {
		e := &APIError{Status: resp.StatusCode}
		if json.Unmarshal(raw, e) != nil || e.Message == "" {
			e.Message = strings.TrimSpace(string(raw[:min(len(raw), 200)]))
		}
		if resp.StatusCode/100 == 4 && resp.StatusCode != http.StatusTooManyRequests {
			return "", notify.Permanent(e)
		}
		return "", e
	}
	var ok MTResponse
	if err := json.Unmarshal(raw, &ok); err != nil || len(ok.IDs) == 0 {
		return "", fmt.Errorf("gatewayapi: answer without a message id: %q", raw[:min(len(raw), 200)])
	}
	return strconv.FormatUint(ok.IDs[0], 10), nil
}

// Incoming is GatewayAPI's webhook body of an incoming (MO) SMS.
type Incoming struct {
	ID       uint64 `json:"id"`
	MSISDN   uint64 `json:"msisdn"`   // the sender's number
	Receiver uint64 `json:"receiver"` // the short code or number it was sent to
	Message  string `json:"message"`
	SentTime int64  `json:"senttime,omitempty"`
}

// Errors of an incoming webhook.
var (
	ErrSignature = errors.New("gatewayapi webhook: missing or bad signature")
	ErrBody      = errors.New("gatewayapi webhook: the body is not an incoming SMS")
)

// ParseIncoming checks the webhook's X-Gwapi-Signature JWT (HS256 with
// secret) and returns the incoming SMS of body; the JWT's claims must be
// the same message (id and msisdn), so a signature cannot be moved onto
// another body. Refuses with ErrSignature or ErrBody.
func ParseIncoming(secret []byte, signature string, body []byte) (Incoming, error) {
	var in Incoming
	if err := json.Unmarshal(body, &in); err != nil || in.MSISDN == 0 {
		return Incoming{}, ErrBody
	}
	claims, err := verifyHS256(secret, signature)
	if err != nil {
		return Incoming{}, err
	}
	var c Incoming
	if err := json.Unmarshal(claims, &c); err != nil || c.ID != in.ID || c.MSISDN != in.MSISDN {
		return Incoming{}, ErrSignature
	}
	return in, nil
}

// SignHS256 returns a JWT of claims signed with HS256 and secret, as
// GatewayAPI signs its webhooks (for tests and the fake gateway).
func SignHS256(secret []byte, claims any) (string, error) {
	p, err := json.Marshal(claims)
	if err != nil {
		return "", err
	}
	enc := base64.RawURLEncoding
	s := enc.EncodeToString([]byte(`{"alg":"HS256","typ":"JWT"}`)) + "." + enc.EncodeToString(p)
	m := hmac.New(sha256.New, secret)
	m.Write([]byte(s))
	return s + "." + enc.EncodeToString(m.Sum(nil)), nil
}

// verifyHS256 returns the claims of JWT token when it is signed with
// HS256 and secret. Refuses any other algorithm, an empty secret and a
// bad signature with ErrSignature.
func verifyHS256(secret []byte, token string) ([]byte, error) {
	parts := strings.Split(token, ".")
	if len(secret) == 0 || len(parts) != 3 {
		return nil, ErrSignature
	}
	enc := base64.RawURLEncoding
	h, err := enc.DecodeString(parts[0])
	if err != nil {
		return nil, ErrSignature
	}
	var head struct {
		Alg string `json:"alg"`
	}
	if json.Unmarshal(h, &head) != nil || head.Alg != "HS256" {
		return nil, ErrSignature
	}
	sig, err := enc.DecodeString(parts[2])
	if err != nil {
		return nil, ErrSignature
	}
	m := hmac.New(sha256.New, secret)
	m.Write([]byte(parts[0] + "." + parts[1]))
	if !hmac.Equal(sig, m.Sum(nil)) {
		return nil, ErrSignature
	}
	claims, err := enc.DecodeString(parts[1])
	if err != nil {
		return nil, ErrSignature
	}
	return claims, nil
}
