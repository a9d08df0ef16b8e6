package integration

import (
	"bufio"
	"compress/gzip"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/flasky-go/flasky"
	"github.com/go-playground/validator/v10"
	"github.com/gorilla/websocket"
	"github.com/klauspost/compress/gzhttp"
	"github.com/rs/cors"
)

// serve runs app on a loopback port for the test, as Run would serve it.
func serve(t *testing.T, app *flasky.App) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { _ = app.Serve(ctx, ln, flasky.NoAccessLog()); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
	return ln.Addr().String()
}

// rs/cors through app.Use beside flasky's CrossOrigin check: with the
// allowed origins also trusted by CrossOrigin (the README's one list),
// an allowed origin's preflight and POST pass and another origin's POST
// is refused; without trusting them, CrossOrigin refuses even the allowed
// origin's POST, which is why the README trusts them.
func TestRsCorsWithCrossOrigin(t *testing.T) {
	newApp := func(trust bool) *flasky.App {
		app := flasky.New()
		app.Logger = slog.New(slog.DiscardHandler)
		origins := []string{"https://app.example"}
		app.Use(cors.New(cors.Options{AllowedOrigins: origins, AllowedMethods: []string{"GET", "POST"}, AllowedHeaders: []string{"Content-Type"}}).Handler)
		if trust {
			for _, o := range origins {
				if err := app.CrossOrigin.AddTrustedOrigin(o); err != nil {
					t.Fatal(err)
				}
			}
		}
		app.Route("/api/items", func(c *flasky.Ctx) error { return c.Status(201).JSON(flasky.M{"ok": true}) }, "POST")
		return app
	}
	for _, tc := range []struct {
		name, method, origin string
		trust                bool
		code                 int
		acao                 string
	}{
		{"preflight of an allowed origin", "OPTIONS", "https://app.example", true, 204, "https://app.example"},
		{"POST of an allowed origin", "POST", "https://app.example", true, 201, "https://app.example"},
		{"POST of another origin", "POST", "https://evil.example", true, 403, ""},
		{"POST of an allowed origin, not trusted by CrossOrigin", "POST", "https://app.example", false, 403, "https://app.example"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest(tc.method, "/api/items", strings.NewReader(`{}`))
			r.Header.Set("Origin", tc.origin)
			r.Header.Set("Sec-Fetch-Site", "cross-site")
			r.Header.Set("Content-Type", "application/json")
			if tc.method == "OPTIONS" {
				r.Header.Set("Access-Control-Request-Method", "POST")
				r.Header.Set("Access-Control-Request-Headers", "content-type")
			}
			w := httptest.NewRecorder()
			newApp(tc.trust).ServeHTTP(w, r)
			if w.Code != tc.code || w.Header().Get("Access-Control-Allow-Origin") != tc.acao {
				t.Errorf("%d with Access-Control-Allow-Origin %q, want %d with %q (%s)", w.Code,
					w.Header().Get("Access-Control-Allow-Origin"), tc.code, tc.acao, w.Body.String())
			}
		})
	}
}

// go-playground/validator plugs into App.Validate: a refused field is a
// 400 naming it, as JSON for an API client.
func TestValidatorThroughValidate(t *testing.T) {
	type signup struct {
		Email string `json:"email" validate:"required,email"`
		Age   int    `json:"age" validate:"gte=0,lte=150"`
	}
	app := flasky.New()
	app.Logger = slog.New(slog.DiscardHandler)
	app.Validate = validator.New().Struct
	app.Route("/signup", func(c *flasky.Ctx) error {
		var s signup
		if err := c.BindJSON(&s); err != nil {
			return err
		}
		return c.JSON(s)
	}, "POST")
	for _, tc := range []struct {
		name, body string
		code       int
		field      string
	}{
		{"valid", `{"email":"kim@example.com","age":30}`, 200, ""},
		{"bad email", `{"email":"kim","age":30}`, 400, "Email"},
		{"age out of range", `{"email":"kim@example.com","age":200}`, 400, "Age"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest("POST", "/signup", strings.NewReader(tc.body))
			r.Header.Set("Content-Type", "application/json")
			r.Header.Set("Accept", "application/json")
			w := httptest.NewRecorder()
			app.ServeHTTP(w, r)
			var answer map[string]any
			if err := json.Unmarshal(w.Body.Bytes(), &answer); err != nil {
				t.Fatalf("%d %q is not JSON", w.Code, w.Body.String())
			}
			if w.Code != tc.code || (tc.field != "" && !strings.Contains(answer["description"].(string), "'"+tc.field+"'")) {
				t.Errorf("%d %v, want %d naming %s", w.Code, answer, tc.code, tc.field)
			}
		})
	}
}

// gzhttp through app.Use: a large page is compressed, server-sent events
// still arrive one by one, http.ResponseController reaches the
// connection, and a WebSocket (gorilla/websocket) upgrades through it.
func TestGzhttpStreamsControllerAndWebSocket(t *testing.T) {
	app := flasky.New()
	app.Logger = slog.New(slog.DiscardHandler)
	app.Use(func(h http.Handler) http.Handler { return gzhttp.GzipHandler(h) })
	app.Route("/big", func(c *flasky.Ctx) error { return c.String(strings.Repeat("flasky ", 2000)) })
	app.Route("/events", func(c *flasky.Ctx) error {
		return c.Stream("text/event-stream", func(w io.Writer) error {
			for i := range 3 {
				if _, err := io.WriteString(w, "data: tick\n\n"); err != nil {
					return err
				}
				if i < 2 {
					time.Sleep(300 * time.Millisecond)
				}
			}
			return nil
		})
	})
	app.Route("/deadline", func(c *flasky.Ctx) error {
		if err := http.NewResponseController(c.Writer).SetWriteDeadline(time.Now().Add(time.Minute)); err != nil {
			return err
		}
		return c.String("deadline set")
	})
	upgrader := websocket.Upgrader{}
	app.Route("/ws", func(c *flasky.Ctx) error {
		conn, err := upgrader.Upgrade(c.Writer, c.Request, nil)
		if err != nil {
			return nil // the upgrader answered the client
		}
		defer conn.Close()
		kind, msg, err := conn.ReadMessage()
		if err != nil {
			return nil
		}
		return conn.WriteMessage(kind, append([]byte("echo: "), msg...))
	})
	addr := serve(t, app)

	t.Run("compressed page", func(t *testing.T) {
		r, _ := http.NewRequest("GET", "http://"+addr+"/big", nil)
		r.Header.Set("Accept-Encoding", "gzip")
		resp, err := http.DefaultClient.Do(r)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		if resp.Header.Get("Content-Encoding") != "gzip" {
			t.Fatalf("Content-Encoding %q, want gzip", resp.Header.Get("Content-Encoding"))
		}
		zr, err := gzip.NewReader(resp.Body)
		if err != nil {
			t.Fatal(err)
		}
		if b, _ := io.ReadAll(zr); len(b) != len("flasky ")*2000 {
			t.Errorf("decompressed %d bytes, want %d", len(b), len("flasky ")*2000)
		}
	})
	t.Run("events arrive one by one", func(t *testing.T) {
		start := time.Now()
		resp, err := http.Get("http://" + addr + "/events")
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		lines := bufio.NewReader(resp.Body)
		if line, err := lines.ReadString('\n'); err != nil || line != "data: tick\n" {
			t.Fatalf("first event %q %v", line, err)
		}
		if took := time.Since(start); took > 250*time.Millisecond {
			t.Errorf("first event after %v: held back until later ones", took)
		}
		rest, _ := io.ReadAll(lines)
		if n := strings.Count(string(rest), "data: tick"); n != 2 {
			t.Errorf("%d more events, want 2: %q", n, rest)
		}
	})
	t.Run("ResponseController", func(t *testing.T) {
		resp, err := http.Get("http://" + addr + "/deadline")
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if string(b) != "deadline set" {
			t.Errorf("%d %q, want \"deadline set\"", resp.StatusCode, b)
		}
	})
	t.Run("WebSocket", func(t *testing.T) {
		conn, _, err := websocket.DefaultDialer.Dial("ws://"+addr+"/ws", nil)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		if err := conn.WriteMessage(websocket.TextMessage, []byte("안녕")); err != nil {
			t.Fatal(err)
		}
		_ = conn.SetReadDeadline(time.Now().Add(5 * time.Second))
		if _, msg, err := conn.ReadMessage(); err != nil || string(msg) != "echo: 안녕" {
			t.Errorf("got %q %v, want \"echo: 안녕\"", msg, err)
		}
	})
}
