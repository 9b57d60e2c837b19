package api

// These tests keep openapi.json in step with the code: the routes it
// describes, the error answers every body-taking operation can give, and the
// JSON field names and limits of the Go types behind its schemas. They are
// an internal test so that the unexported request and view types can be
// reflected over.

import (
	"encoding/json"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/reccollection/reccollection/internal/account"
	"github.com/reccollection/reccollection/internal/auth"
	"github.com/reccollection/reccollection/internal/buildinfo"
	"github.com/reccollection/reccollection/internal/httpx"
	"github.com/reccollection/reccollection/internal/recipe"
	"github.com/reccollection/reccollection/internal/store"
	"github.com/reccollection/reccollection/internal/validate"
)

// oasHealthRoutes are served by package app, outside /api/v1, but belong to
// the public surface the document describes.
var oasHealthRoutes = []string{"GET /healthz", "GET /readyz", "GET /version"}

var oasMethods = []string{"get", "put", "post", "delete", "options", "head", "patch", "trace"}

func oasLoad(t *testing.T) map[string]any {
	t.Helper()
	var doc map[string]any
	if err := json.Unmarshal(openAPIDocument, &doc); err != nil {
		t.Fatalf("openapi.json is not valid JSON: %v", err)
	}
	return doc
}

// oasOperation is one method on one path of the document.
type oasOperation struct {
	key string // "GET /api/v1/recipes/{id}"
	op  map[string]any
}

func oasOperations(t *testing.T, doc map[string]any) []oasOperation {
	t.Helper()
	paths, ok := doc["paths"].(map[string]any)
	if !ok {
		t.Fatal(`openapi.json has no "paths" object`)
	}
	var out []oasOperation
	for _, path := range slices.Sorted(maps.Keys(paths)) {
		item, ok := paths[path].(map[string]any)
		if !ok {
			t.Errorf("path %s is not an object", path)
			continue
		}
		for _, m := range oasMethods {
			if v, ok := item[m]; ok {
				op, ok := v.(map[string]any)
				if !ok {
					t.Errorf("%s %s is not an object", strings.ToUpper(m), path)
					continue
				}
				out = append(out, oasOperation{key: strings.ToUpper(m) + " " + path, op: op})
			}
		}
	}
	return out
}

// oasResolve follows a local "$ref" (a JSON pointer into the document).
func oasResolve(doc map[string]any, ref string) (any, error) {
	ptr, ok := strings.CutPrefix(ref, "#")
	if !ok {
		return nil, fmt.Errorf("%q is not a reference into this document", ref)
	}
	var cur any = doc
	if ptr == "" {
		return cur, nil
	}
	if !strings.HasPrefix(ptr, "/") {
		return nil, fmt.Errorf("%q is not a JSON pointer", ref)
	}
	for _, tok := range strings.Split(ptr[1:], "/") {
		tok = strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
		switch c := cur.(type) {
		case map[string]any:
			var ok bool
			if cur, ok = c[tok]; !ok {
				return nil, fmt.Errorf("%q: no %q", ref, tok)
			}
		case []any:
			i, err := strconv.Atoi(tok)
			if err != nil || i < 0 || i >= len(c) {
				return nil, fmt.Errorf("%q: no item %q", ref, tok)
			}
			cur = c[i]
		default:
			return nil, fmt.Errorf("%q: %q is not inside an object or array", ref, tok)
		}
	}
	return cur, nil
}

// oasDeref returns v, or what it refers to when it is a reference.
func oasDeref(t *testing.T, doc map[string]any, v any) map[string]any {
	t.Helper()
	for range 10 {
		obj, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		ref, ok := obj["$ref"].(string)
		if !ok {
			return obj
		}
		var err error
		if v, err = oasResolve(doc, ref); err != nil {
			t.Fatal(err)
		}
	}
	t.Fatal("reference chain too long")
	return nil
}

func oasSchema(t *testing.T, doc map[string]any, name string) map[string]any {
	t.Helper()
	s, err := oasResolve(doc, "#/components/schemas/"+name)
	if err != nil {
		t.Fatalf("schema %s: %v", name, err)
	}
	return oasDeref(t, doc, s)
}

func oasStrings(v any) []string {
	list, _ := v.([]any)
	out := make([]string, 0, len(list))
	for _, x := range list {
		if s, ok := x.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

// oasDiff reports what want has that got lacks and the other way round.
func oasDiff(want, got []string) (missing, extra []string) {
	w := map[string]bool{}
	for _, s := range want {
		w[s] = true
	}
	g := map[string]bool{}
	for _, s := range got {
		g[s] = true
		if !w[s] {
			extra = append(extra, s)
		}
	}
	for _, s := range want {
		if !g[s] {
			missing = append(missing, s)
		}
	}
	slices.Sort(missing)
	slices.Sort(extra)
	return slices.Compact(missing), slices.Compact(extra)
}

func TestOpenAPIDocument(t *testing.T) {
	doc := oasLoad(t)
	if v, _ := doc["openapi"].(string); !strings.HasPrefix(v, "3.1") {
		t.Errorf("openapi = %q, want 3.1.x", v)
	}
	info, _ := doc["info"].(map[string]any)
	if info["title"] != "RecCollection API" || info["version"] != "1" {
		t.Errorf("info title/version = %v/%v, want RecCollection API/1", info["title"], info["version"])
	}
	if d, _ := info["description"].(string); d == "" {
		t.Error("info has no description")
	}
	servers, _ := doc["servers"].([]any)
	if len(servers) != 1 || servers[0].(map[string]any)["url"] != "/" {
		t.Errorf(`servers = %v, want [{"url": "/"}]`, servers)
	}
	schemes, _ := oasDeref(t, doc, doc["components"])["securitySchemes"].(map[string]any)
	bearer, _ := schemes["bearerAuth"].(map[string]any)
	if bearer["type"] != "http" || bearer["scheme"] != "bearer" {
		t.Errorf("bearerAuth = %v, want http bearer", bearer)
	}
	cookie, _ := schemes["cookieAuth"].(map[string]any)
	if cookie["type"] != "apiKey" || cookie["in"] != "cookie" || cookie["name"] != auth.SessionCookie {
		t.Errorf("cookieAuth = %v, want apiKey in cookie %q", cookie, auth.SessionCookie)
	}
	for _, name := range []string{"Recipe", "RecipeSummary", "RecipeList", "Ingredient", "Author", "User",
		"Profile", "APIToken", "NewAPIToken", "LoginResponse", "Problem"} {
		oasSchema(t, doc, name)
	}
}

func TestOpenAPIDescribesEveryRoute(t *testing.T) {
	doc := oasLoad(t)
	var want []string
	for _, p := range append(New(nil, nil, nil, false).Patterns(), oasHealthRoutes...) {
		method, path, ok := strings.Cut(p, " ")
		if !ok || method == "" || !strings.HasPrefix(path, "/") {
			t.Errorf("route %q has no method; the document cannot describe it", p)
			continue
		}
		// ServeMux's "{name...}" and "{$}" have no OpenAPI spelling; the
		// plain "{name}" is the same in both.
		path = strings.ReplaceAll(path, "{$}", "")
		path = strings.ReplaceAll(path, "...}", "}")
		want = append(want, method+" "+path)
	}
	var got []string
	for _, o := range oasOperations(t, doc) {
		got = append(got, o.key)
	}
	missing, extra := oasDiff(want, got)
	for _, m := range missing {
		t.Errorf("route %s is served but not in openapi.json", m)
	}
	for _, e := range extra {
		t.Errorf("openapi.json describes %s, which is not a route", e)
	}
}

func TestOpenAPIOperations(t *testing.T) {
	doc := oasLoad(t)
	declaredTags := map[string]bool{}
	tagList, _ := doc["tags"].([]any)
	for _, tag := range tagList {
		if tag, ok := tag.(map[string]any); ok {
			name, _ := tag["name"].(string)
			declaredTags[name] = true
		}
	}
	schemes, _ := oasDeref(t, doc, doc["components"])["securitySchemes"].(map[string]any)
	ids := map[string]string{}
	for _, o := range oasOperations(t, doc) {
		op := o.op
		id, _ := op["operationId"].(string)
		switch {
		case id == "":
			t.Errorf("%s has no operationId", o.key)
		case ids[id] != "":
			t.Errorf("%s and %s share operationId %q", ids[id], o.key, id)
		default:
			ids[id] = o.key
		}
		if s, _ := op["summary"].(string); s == "" {
			t.Errorf("%s has no summary", o.key)
		}
		tags := oasStrings(op["tags"])
		if len(tags) == 0 {
			t.Errorf("%s has no tags", o.key)
		}
		for _, tag := range tags {
			if !declaredTags[tag] {
				t.Errorf("%s: tag %q is not declared in tags", o.key, tag)
			}
		}

		responses, _ := op["responses"].(map[string]any)
		has2xx := false
		for code, r := range responses {
			if strings.HasPrefix(code, "2") {
				has2xx = true
			}
			resp := oasDeref(t, doc, r)
			if d, _ := resp["description"].(string); d == "" {
				t.Errorf("%s: response %s has no description", o.key, code)
			}
			// The API's errors are problems; /readyz answers 503 with its
			// ordinary JSON body.
			if (strings.HasPrefix(code, "4") || strings.HasPrefix(code, "5")) && strings.Contains(o.key, " /api/") {
				if _, ok := resp["content"].(map[string]any)["application/problem+json"]; !ok {
					t.Errorf("%s: error response %s is not application/problem+json", o.key, code)
				}
			}
		}
		if !has2xx {
			t.Errorf("%s has no 2xx response", o.key)
		}
		if rb, ok := op["requestBody"]; ok {
			body := oasDeref(t, doc, rb)
			if _, ok := body["content"].(map[string]any)["application/json"]; !ok {
				t.Errorf("%s: request body is not application/json", o.key)
			}
			// What httpx.DecodeJSON can answer.
			for _, code := range []string{"400", "413", "415", "422"} {
				if _, ok := responses[code]; !ok {
					t.Errorf("%s takes a body but has no %s response", o.key, code)
				}
			}
		}
		if _, ok := op["security"]; !ok {
			t.Errorf("%s does not say whether it needs authentication (no security)", o.key)
		}
		// An empty list, or an empty requirement among the others, lets
		// anonymous callers in.
		security, _ := op["security"].([]any)
		anonymous := len(security) == 0
		for _, req := range security {
			reqs, _ := req.(map[string]any)
			if len(reqs) == 0 {
				anonymous = true
			}
			for name := range reqs {
				if _, ok := schemes[name]; !ok {
					t.Errorf("%s: security scheme %q is not declared", o.key, name)
				}
			}
		}
		if !anonymous {
			if _, ok := responses["401"]; !ok {
				t.Errorf("%s needs authentication but has no 401 response", o.key)
			}
		}

		// Every {name} in the path is a declared path parameter.
		path := o.key[strings.Index(o.key, " ")+1:]
		declared := map[string]bool{}
		params, _ := op["parameters"].([]any)
		for _, p := range params {
			param := oasDeref(t, doc, p)
			if param["in"] == "path" {
				name, _ := param["name"].(string)
				declared[name] = true
				if param["required"] != true {
					t.Errorf("%s: path parameter %v is not required", o.key, param["name"])
				}
			}
		}
		for rest := path; ; {
			i := strings.Index(rest, "{")
			if i < 0 {
				break
			}
			j := strings.Index(rest[i:], "}")
			if j < 0 {
				t.Errorf("%s: unbalanced braces in the path", o.key)
				break
			}
			name := rest[i+1 : i+j]
			if !declared[name] {
				t.Errorf("%s: path parameter %q is not declared", o.key, name)
			}
			delete(declared, name)
			rest = rest[i+j+1:]
		}
		for name := range declared {
			t.Errorf("%s declares path parameter %q that is not in the path", o.key, name)
		}
	}
}

func TestOpenAPIReferencesResolve(t *testing.T) {
	doc := oasLoad(t)
	var walk func(at string, v any)
	walk = func(at string, v any) {
		switch v := v.(type) {
		case map[string]any:
			if ref, ok := v["$ref"]; ok {
				s, _ := ref.(string)
				if _, err := oasResolve(doc, s); err != nil {
					t.Errorf("%s: %v", at, err)
				} else if !strings.HasPrefix(s, "#/components/") {
					t.Errorf("%s: %q does not point at a component", at, s)
				}
			}
			for k, x := range v {
				walk(at+"/"+k, x)
			}
		case []any:
			for i, x := range v {
				walk(fmt.Sprintf("%s/%d", at, i), x)
			}
		}
	}
	walk("#", doc)
}

// oasJSONField is a field as encoding/json writes it.
type oasJSONField struct {
	name     string
	optional bool // omitempty or omitzero: may be absent
}

// oasJSONFields lists the JSON fields of a struct type the way
// encoding/json sees them: exported fields by their tag name, embedded
// structs (also by pointer) flattened, "-" skipped. A field of the outer
// struct hides one of the same name from an embedded struct.
func oasJSONFields(t reflect.Type) []oasJSONField {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	var own, promoted []oasJSONField
	for i := range t.NumField() {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		ft := f.Type
		for ft.Kind() == reflect.Pointer {
			ft = ft.Elem()
		}
		if f.Anonymous && name == "" && ft.Kind() == reflect.Struct {
			promoted = append(promoted, oasJSONFields(ft)...)
			continue
		}
		if !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		optional := false
		for _, o := range strings.Split(opts, ",") {
			if o == "omitempty" || o == "omitzero" {
				optional = true
			}
		}
		own = append(own, oasJSONField{name, optional})
	}
	out := own
	for _, p := range promoted {
		if !slices.ContainsFunc(own, func(o oasJSONField) bool { return o.name == p.name }) {
			out = append(out, p)
		}
	}
	return out
}

// oasCompareFields checks that schema's properties are exactly the JSON
// fields of goType and, for a response, that required lists exactly the
// fields encoding/json always writes.
func oasCompareFields(t *testing.T, what string, schema map[string]any, goType reflect.Type, response bool) {
	t.Helper()
	props, _ := schema["properties"].(map[string]any)
	if props == nil {
		t.Errorf("%s: schema has no properties", what)
		return
	}
	fields := oasJSONFields(goType)
	var names, always []string
	for _, f := range fields {
		names = append(names, f.name)
		if !f.optional {
			always = append(always, f.name)
		}
	}
	missing, extra := oasDiff(names, slices.Collect(maps.Keys(props)))
	for _, m := range missing {
		t.Errorf("%s: %s has JSON field %q, missing from the schema's properties", what, goType, m)
	}
	for _, e := range extra {
		t.Errorf("%s: schema property %q is not a JSON field of %s", what, e, goType)
	}
	if !response {
		if schema["additionalProperties"] != false {
			t.Errorf("%s: request schema must set additionalProperties: false (unknown fields are refused)", what)
		}
		return
	}
	missing, extra = oasDiff(always, oasStrings(schema["required"]))
	for _, m := range missing {
		t.Errorf("%s: %q is always sent but not required", what, m)
	}
	for _, e := range extra {
		t.Errorf("%s: %q is required but %s may omit it", what, e, goType)
	}
}

func TestOpenAPISchemasMatchGoTypes(t *testing.T) {
	doc := oasLoad(t)

	responses := []struct {
		schema string
		goType reflect.Type
	}{
		{"Recipe", reflect.TypeFor[recipe.Recipe]()},
		{"RecipeSummary", reflect.TypeFor[recipe.Summary]()},
		{"Ingredient", reflect.TypeFor[recipe.Ingredient]()},
		{"Author", reflect.TypeFor[recipe.Author]()},
		{"RecipeList", reflect.TypeFor[listResponse]()},
		{"User", reflect.TypeFor[userView]()},
		{"Profile", reflect.TypeFor[profileView]()},
		{"LoginResponse", reflect.TypeFor[loginResponse]()},
		{"APIToken", reflect.TypeFor[auth.APIToken]()},
		// The answer of createToken, written there as an anonymous struct.
		{"NewAPIToken", reflect.TypeFor[struct {
			*auth.APIToken
			Token string `json:"token"`
		}]()},
		{"Problem", reflect.TypeFor[httpx.Problem]()},
		{"FieldError", reflect.TypeFor[validate.FieldError]()},
		{"VersionInfo", reflect.TypeFor[buildinfo.Info]()},
		{"MFAStatus", reflect.TypeFor[mfaStatusView]()},
		{"TOTPEnrolment", reflect.TypeFor[totpEnrolmentView]()},
		{"RecoveryCodes", reflect.TypeFor[recoveryCodesView]()},
		{"AdminStatus", reflect.TypeFor[adminStatusView]()},
		{"QueueStatus", reflect.TypeFor[queueStatusView]()},
		{"AdminUser", reflect.TypeFor[adminUserView]()},
		{"AdminUserList", reflect.TypeFor[adminUserList]()},
		{"Flag", reflect.TypeFor[flagView]()},
		{"FlagOverride", reflect.TypeFor[overrideView]()},
		{"FlagList", reflect.TypeFor[flagList]()},
		{"AuditEntry", reflect.TypeFor[store.AuditEntry]()},
		{"AuditList", reflect.TypeFor[auditList]()},
	}
	for _, c := range responses {
		oasCompareFields(t, "schema "+c.schema, oasSchema(t, doc, c.schema), c.goType, true)
	}
	oasCompareFields(t, "schema IngredientInput", oasSchema(t, doc, "IngredientInput"), reflect.TypeFor[ingredientObject](), false)

	// Every request body, by the operation that takes it.
	requests := map[string]reflect.Type{
		"register":       reflect.TypeFor[registerRequest](),
		"login":          reflect.TypeFor[loginRequest](),
		"createToken":    reflect.TypeFor[createTokenRequest](),
		"updateMe":       reflect.TypeFor[updateMeRequest](),
		"changePassword": reflect.TypeFor[changePasswordRequest](),
		"createRecipe":   reflect.TypeFor[recipeRequest](),
		"replaceRecipe":  reflect.TypeFor[recipeRequest](),
		"patchRecipe":    reflect.TypeFor[recipeRequest](),
		"startTOTP":      reflect.TypeFor[startTOTPRequest](),
		"confirmTOTP":    reflect.TypeFor[codeRequest](),
		"verifyMFA":      reflect.TypeFor[codeRequest](),
		"disableTOTP":    reflect.TypeFor[codeRequest](),
		"adminSetRole":   reflect.TypeFor[roleRequest](),
		"adminSetFlag":   reflect.TypeFor[flagRequest](),
	}
	seen := map[string]bool{}
	for _, o := range oasOperations(t, doc) {
		id, _ := o.op["operationId"].(string)
		rb, hasBody := o.op["requestBody"]
		goType, known := requests[id]
		switch {
		case hasBody && !known:
			t.Errorf("%s (%s) takes a body; add its Go request type to this test", o.key, id)
			continue
		case !hasBody && known:
			t.Errorf("%s (%s) decodes a %s but the document has no requestBody", o.key, id, goType)
			continue
		case !hasBody:
			continue
		}
		seen[id] = true
		body := oasDeref(t, doc, rb)
		media, _ := body["content"].(map[string]any)["application/json"].(map[string]any)
		schema := oasDeref(t, doc, media["schema"])
		oasCompareFields(t, o.key+" request body", schema, goType, false)

		if goType == reflect.TypeFor[recipeRequest]() {
			props := schema["properties"].(map[string]any)
			items := oasDeref(t, doc, props["ingredients"].(map[string]any)["items"])
			var kinds []string
			for _, alt := range items["oneOf"].([]any) {
				alt := alt.(map[string]any)
				if ref, ok := alt["$ref"].(string); ok {
					kinds = append(kinds, ref)
				} else {
					kinds = append(kinds, fmt.Sprint(alt["type"]))
				}
			}
			if !slices.Equal(kinds, []string{"string", "#/components/schemas/IngredientInput"}) {
				t.Errorf("%s: ingredients items oneOf = %v, want a string or an IngredientInput", o.key, kinds)
			}
		}
	}
	for id := range requests {
		if !seen[id] {
			t.Errorf("no operation %q with a request body in the document", id)
		}
	}
}

// TestOpenAPILimitsMatchCode ties the numbers in the document to the
// constants the handlers and validators enforce.
func TestOpenAPILimitsMatchCode(t *testing.T) {
	doc := oasLoad(t)
	at := func(ptr string) any {
		v, err := oasResolve(doc, ptr)
		if err != nil {
			t.Error(err)
			return nil
		}
		return v
	}
	num := func(ptr string, want float64) {
		t.Helper()
		v := at(ptr)
		if got, ok := v.(float64); !ok || got != want {
			t.Errorf("%s = %v, want %v", ptr, v, want)
		}
	}
	const recipeInput = "#/components/schemas/RecipeInput/properties/"
	const recipePatch = "#/components/schemas/RecipePatch/properties/"
	for _, base := range []string{recipeInput, recipePatch} {
		num(base+"title/maxLength", recipe.MaxTitle)
		num(base+"description/maxLength", recipe.MaxDescription)
		num(base+"prep_minutes/minimum", 0)
		num(base+"prep_minutes/maximum", recipe.MaxMinutes)
		num(base+"cook_minutes/minimum", 0)
		num(base+"cook_minutes/maximum", recipe.MaxMinutes)
		num(base+"servings/minimum", 1)
		num(base+"servings/maximum", recipe.MaxServings)
		num(base+"source_url/maxLength", recipe.MaxSourceURL)
		num(base+"ingredients/maxItems", recipe.MaxIngredients)
		num(base+"ingredients/items/oneOf/0/maxLength", recipe.MaxIngredientLine)
		num(base+"steps/maxItems", recipe.MaxSteps)
		num(base+"steps/items/maxLength", recipe.MaxStep)
		num(base+"tags/maxItems", recipe.MaxTags)
		num(base+"tags/items/maxLength", recipe.MaxLabel)
		num(base+"categories/maxItems", recipe.MaxCategories)
		num(base+"categories/items/maxLength", recipe.MaxLabel)
	}
	num(recipeInput+"title/minLength", 1)
	if req := oasStrings(at("#/components/schemas/RecipeInput/required")); !slices.Equal(req, []string{"title"}) {
		t.Errorf("RecipeInput required = %v, want [title]", req)
	}
	if _, ok := at("#/components/schemas/RecipePatch").(map[string]any)["required"]; ok {
		t.Error("RecipePatch must not require fields: absent fields keep their stored value")
	}
	const ing = "#/components/schemas/IngredientInput/properties/"
	num(ing+"name/maxLength", recipe.MaxIngredientName)
	num(ing+"unit/maxLength", recipe.MaxUnit)
	num(ing+"note/maxLength", recipe.MaxNote)
	num(ing+"original/maxLength", recipe.MaxIngredientLine)
	num(ing+"quantity/maximum", recipe.MaxQuantity)
	num(ing+"quantity_max/maximum", recipe.MaxQuantity)

	const reg = "#/components/schemas/RegisterRequest/properties/"
	num(reg+"username/minLength", auth.MinUsername)
	num(reg+"username/maxLength", auth.MaxUsername)
	num(reg+"email/maxLength", auth.MaxEmail)
	num(reg+"password/minLength", auth.MinPassword)
	num(reg+"password/maxLength", auth.MaxPassword)
	num(reg+"display_name/maxLength", auth.MaxDisplayName)
	num("#/components/schemas/ChangePasswordRequest/properties/new_password/minLength", auth.MinPassword)
	num("#/components/schemas/ChangePasswordRequest/properties/new_password/maxLength", auth.MaxPassword)
	num("#/components/schemas/UpdateMeRequest/properties/display_name/maxLength", auth.MaxDisplayName)
	num("#/components/schemas/UpdateMeRequest/properties/bio/maxLength", auth.MaxBio)
	num("#/components/schemas/UpdateMeRequest/properties/email/maxLength", auth.MaxEmail)
	num("#/components/schemas/LoginRequest/properties/login/maxLength", auth.MaxEmail)
	num("#/components/schemas/LoginRequest/properties/password/maxLength", 4*auth.MaxPassword)
	num("#/components/schemas/APITokenList/properties/items/maxItems", 2*account.MaxTokens)

	// The list query parameters, found by name.
	var list map[string]any
	for _, o := range oasOperations(t, doc) {
		if o.key == "GET /api/v1/recipes" {
			list = o.op
		}
	}
	if list == nil {
		t.Fatal("no GET /api/v1/recipes")
	}
	params := map[string]map[string]any{}
	for _, p := range list["parameters"].([]any) {
		param := oasDeref(t, doc, p)
		if param["in"] == "query" {
			params[param["name"].(string)] = oasDeref(t, doc, param["schema"])
		}
	}
	wantParams := []string{"q", "sort", "limit", "cursor", "author", "tag", "category", "difficulty", "visibility", "max_minutes"}
	missing, extra := oasDiff(wantParams, slices.Collect(maps.Keys(params)))
	if len(missing) > 0 || len(extra) > 0 {
		t.Errorf("list query parameters: missing %v, extra %v", missing, extra)
	}
	checkNum := func(param, key string, want float64) {
		t.Helper()
		if got, _ := params[param][key].(float64); got != want {
			t.Errorf("query parameter %s: %s = %v, want %v", param, key, params[param][key], want)
		}
	}
	checkEnum := func(param string, want []string) {
		t.Helper()
		got := oasStrings(params[param]["enum"])
		missing, extra := oasDiff(want, got)
		if len(missing) > 0 || len(extra) > 0 {
			t.Errorf("query parameter %s enum = %v: missing %v, extra %v", param, got, missing, extra)
		}
	}
	checkNum("limit", "minimum", 1)
	checkNum("limit", "maximum", store.MaxListLimit)
	checkNum("q", "maxLength", recipe.MaxSearchText)
	checkNum("max_minutes", "minimum", 0)
	checkNum("max_minutes", "maximum", 2*recipe.MaxMinutes)
	checkNum("tag", "maxLength", recipe.MaxLabel)
	checkNum("category", "maxLength", recipe.MaxLabel)
	checkNum("author", "maxLength", auth.MaxUsername)
	checkEnum("sort", slices.Collect(maps.Keys(sorts)))
	checkEnum("difficulty", []string{string(recipe.Easy), string(recipe.Medium), string(recipe.Hard)})
	checkEnum("visibility", []string{string(recipe.Public), string(recipe.Unlisted), string(recipe.Private)})

	vis := oasStrings(at("#/components/schemas/Visibility/enum"))
	if m, e := oasDiff([]string{string(recipe.Public), string(recipe.Unlisted), string(recipe.Private)}, vis); len(m)+len(e) > 0 {
		t.Errorf("Visibility enum = %v", vis)
	}
	diff := oasStrings(at("#/components/schemas/Difficulty/enum"))
	if m, e := oasDiff([]string{"", string(recipe.Easy), string(recipe.Medium), string(recipe.Hard)}, diff); len(m)+len(e) > 0 {
		t.Errorf("Difficulty enum = %v", diff)
	}
	if got := at("#/components/responses/PayloadTooLarge/description"); !strings.Contains(fmt.Sprint(got), fmt.Sprint(httpx.MaxBody)) {
		t.Errorf("PayloadTooLarge does not state the %d-byte limit: %v", httpx.MaxBody, got)
	}
	if h := at("#/components/responses/TooManyRequests/headers/Retry-After"); h == nil {
		t.Error("429 answers must document Retry-After")
	}
}
