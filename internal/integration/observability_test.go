package integration

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/flasky-go/flasky"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
	"go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp"
	"go.opentelemetry.io/otel/attribute"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	semconv "go.opentelemetry.io/otel/semconv/v1.37.0"
	"go.opentelemetry.io/otel/trace"
)

// newApp is the app a production team would instrument: a variable rule,
// a blueprint, and a 404 for anything else.
func newApp() *flasky.App {
	app := flasky.New()
	app.Logger = slog.New(slog.DiscardHandler)
	app.Route("/s5/<name>", func(c *flasky.Ctx) error { return c.String("data=" + c.Param("name")) })
	app.Blueprint("api", "/api").Route("/users/<int:id>", func(c *flasky.Ctx) error { return c.JSON(flasky.M{"id": c.ParamInt("id")}) })
	return app
}

func get(t *testing.T, h http.Handler, path string) int {
	t.Helper()
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest("GET", path, nil))
	return w.Code
}

// otelhttp added with app.Use names each span after the matched rule
// (from r.Pattern), the README's one-line hook puts the rule in the
// span's http.route, and the request-duration metric carries http.route:
// one series for any number of URLs.
func TestOtelhttpSpansAndMetricsCarryTheRule(t *testing.T) {
	spans := tracetest.NewSpanRecorder()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(spans))
	reader := sdkmetric.NewManualReader()
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(reader))

	app := newApp()
	app.Use(otelhttp.NewMiddleware("flasky", otelhttp.WithTracerProvider(tp), otelhttp.WithMeterProvider(mp)))
	app.BeforeRequest(func(c *flasky.Ctx) error {
		trace.SpanFromContext(c.Context()).SetAttributes(semconv.HTTPRoute(c.Rule()))
		return nil
	})
	for i := range 100 {
		if code := get(t, app, fmt.Sprintf("/s5/user%d", i)); code != 200 {
			t.Fatalf("GET /s5/user%d: %d", i, code)
		}
	}
	get(t, app, "/api/users/7")
	get(t, app, "/nowhere")

	ended := spans.Ended()
	if len(ended) != 102 {
		t.Fatalf("%d spans, want 102", len(ended))
	}
	for _, tc := range []struct {
		name      string
		span      sdktrace.ReadOnlySpan
		wantName  string
		wantRoute string
	}{
		{"variable rule", ended[0], "GET /s5/<name>", "/s5/<name>"},
		{"blueprint rule", ended[100], "GET /api/users/<int:id>", "/api/users/<int:id>"},
		{"no rule", ended[101], "GET", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			route := ""
			for _, kv := range tc.span.Attributes() {
				if kv.Key == semconv.HTTPRouteKey {
					route = kv.Value.AsString()
				}
			}
			if tc.span.Name() != tc.wantName || route != tc.wantRoute {
				t.Errorf("span %q with http.route %q, want %q with %q", tc.span.Name(), route, tc.wantName, tc.wantRoute)
			}
		})
	}

	var rm metricdata.ResourceMetrics
	if err := reader.Collect(context.Background(), &rm); err != nil {
		t.Fatal(err)
	}
	routes := map[string]uint64{}
	for _, sm := range rm.ScopeMetrics {
		for _, m := range sm.Metrics {
			if m.Name != "http.server.request.duration" {
				continue
			}
			for _, dp := range m.Data.(metricdata.Histogram[float64]).DataPoints {
				r, _ := dp.Attributes.Value(attribute.Key("http.route"))
				routes[r.AsString()] += dp.Count
			}
		}
	}
	if routes["/s5/<name>"] != 100 || routes["/api/users/<int:id>"] != 1 || len(routes) != 3 {
		t.Errorf("request-duration series by http.route: %v, want /s5/<name>: 100, /api/users/<int:id>: 1 and the 404's", routes)
	}
}

// A Prometheus counter labelled from r.Pattern, the way the README shows
// it, makes one series for a hundred URLs of one rule.
func TestPrometheusLabelFromPatternMakesOneSeriesPerRule(t *testing.T) {
	requests := prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "http_requests_total", Help: "Requests by rule and status.",
	}, []string{"route", "code"})
	app := newApp()
	app.Use(func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			rec := &statusRecorder{ResponseWriter: w, code: 200}
			next.ServeHTTP(rec, r)
			requests.WithLabelValues(r.Pattern, fmt.Sprint(rec.code)).Inc()
		})
	})
	for i := range 100 {
		get(t, app, fmt.Sprintf("/s5/%d", i))
	}
	get(t, app, "/nowhere")
	if n := testutil.CollectAndCount(requests); n != 2 {
		t.Errorf("%d series, want 2 (the rule and the 404)", n)
	}
	if v := testutil.ToFloat64(requests.WithLabelValues("/s5/<name>", "200")); v != 100 {
		t.Errorf("route=/s5/<name> counted %v, want 100", v)
	}
	want := `
# HELP http_requests_total Requests by rule and status.
# TYPE http_requests_total counter
http_requests_total{code="200",route="/s5/<name>"} 100
http_requests_total{code="404",route=""} 1
`
	if err := testutil.CollectAndCompare(requests, strings.NewReader(want)); err != nil {
		t.Error(err)
	}
}

type statusRecorder struct {
	http.ResponseWriter
	code int
}

func (r *statusRecorder) WriteHeader(code int) {
	r.code = code
	r.ResponseWriter.WriteHeader(code)
}

func (r *statusRecorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }
