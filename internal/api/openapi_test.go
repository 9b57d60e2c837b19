package api

// These tests keep openapi.json in step with the code: the routes it
// describes, the error answers every body-taking operation can give, and the
// JSON field names and limits of the Go types behind its schemas. They are
// an internal test so that the unexported request and view types can be
// reflected over.
//
// The document is read with kin-openapi's loader, which resolves every
// $ref (a reference that leads nowhere fails the load) and validates the
// whole document against OpenAPI 3.1 and JSON Schema 2020-12 before any of
// the checks below look at it; they then read the typed, resolved model.

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/reccollection/reccollection/internal/account"
	"github.com/reccollection/reccollection/internal/auth"
	"github.com/reccollection/reccollection/internal/auth/authhttp"
	"github.com/reccollection/reccollection/internal/buildinfo"
	"github.com/reccollection/reccollection/internal/collection"
	"github.com/reccollection/reccollection/internal/httpx"
	"github.com/reccollection/reccollection/internal/importer"
	"github.com/reccollection/reccollection/internal/importer/extract"
	"github.com/reccollection/reccollection/internal/invitations"
	"github.com/reccollection/reccollection/internal/planner"
	"github.com/reccollection/reccollection/internal/recipe"
	"github.com/reccollection/reccollection/internal/sharing"
	"github.com/reccollection/reccollection/internal/store"
	"github.com/reccollection/reccollection/internal/validate"
)

// oasHealthRoutes are served by package app, outside /api/v1, but belong to
// the public surface the document describes.
var oasHealthRoutes = []string{"GET /healthz", "GET /readyz", "GET /version"}

// oasParse loads and validates an OpenAPI document: every reference must
// resolve inside the document (external ones are refused) and the result
// must be a valid OpenAPI document of its declared version.
func oasParse(data []byte) (*openapi3.T, error) {
	loader := openapi3.NewLoader()
	loader.IsExternalRefsAllowed = false
	doc, err := loader.LoadFromData(data)
	if err != nil {
		return nil, fmt.Errorf("load: %w", err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		return nil, fmt.Errorf("validate: %w", err)
	}
	return doc, nil
}

func oasLoad(t *testing.T) *openapi3.T {
	t.Helper()
	doc, err := oasParse(openAPIDocument)
	if err != nil {
		t.Fatalf("openapi.json: %v", err)
	}
	return doc
}

// oasOperation is one method on one path of the document.
type oasOperation struct {
	key string // "GET /api/v1/recipes/{id}"
	op  *openapi3.Operation
}

func oasOperations(doc *openapi3.T) []oasOperation {
	var out []oasOperation
	paths := doc.Paths.Map()
	for _, path := range slices.Sorted(maps.Keys(paths)) {
		ops := paths[path].Operations()
		for _, m := range slices.Sorted(maps.Keys(ops)) {
			out = append(out, oasOperation{key: strings.ToUpper(m) + " " + path, op: ops[m]})
		}
	}
	return out
}

func oasSchema(t *testing.T, doc *openapi3.T, name string) *openapi3.Schema {
	t.Helper()
	ref, ok := doc.Components.Schemas[name]
	if !ok || ref.Value == nil {
		t.Fatalf("no schema %s in components", name)
	}
	return ref.Value
}

// oasAt walks from a component schema along a path such as
// "RecipeInput/properties/ingredients/items/oneOf/0" through the loaded
// (already resolved) schemas.
func oasAt(doc *openapi3.T, path string) (*openapi3.Schema, error) {
	toks := strings.Split(path, "/")
	ref := doc.Components.Schemas[toks[0]]
	for i := 1; ref != nil && i < len(toks); i++ {
		s := ref.Value
		switch toks[i] {
		case "items":
			ref = s.Items
			continue
		case "properties", "oneOf":
		default:
			return nil, fmt.Errorf("%s: cannot step into %q", path, toks[i])
		}
		if i+1 == len(toks) {
			return nil, fmt.Errorf("%s: %q needs a name or index", path, toks[i])
		}
		if toks[i] == "properties" {
			ref = s.Properties[toks[i+1]]
		} else if n, err := strconv.Atoi(toks[i+1]); err == nil && n >= 0 && n < len(s.OneOf) {
			ref = s.OneOf[n]
		} else {
			ref = nil
		}
		i++
	}
	if ref == nil || ref.Value == nil {
		return nil, fmt.Errorf("no schema at %s", path)
	}
	return ref.Value, nil
}

// oasKeyword reads a numeric schema keyword; ok is false when it is unset.
func oasKeyword(s *openapi3.Schema, keyword string) (v float64, ok bool) {
	u := func(p *uint64) (float64, bool) {
		if p == nil {
			return 0, false
		}
		return float64(*p), true
	}
	f := func(p *float64) (float64, bool) {
		if p == nil {
			return 0, false
		}
		return *p, true
	}
	switch keyword {
	case "maxLength":
		return u(s.MaxLength)
	case "minLength":
		return float64(s.MinLength), s.MinLength > 0
	case "maxItems":
		return u(s.MaxItems)
	case "maximum":
		return f(s.Max)
	case "minimum":
		return f(s.Min)
	}
	panic("oasKeyword: no keyword " + keyword)
}

func oasEnum(s *openapi3.Schema) []string {
	out := make([]string, 0, len(s.Enum))
	for _, x := range s.Enum {
		if v, ok := x.(string); ok {
			out = append(out, v)
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

// The loader and validator are only worth something if they refuse a
// broken document: each mistake below, made in a copy of the real one,
// must fail it.
func TestOpenAPIValidationCatchesMistakes(t *testing.T) {
	cases := []struct {
		name   string
		mutate func(doc map[string]any)
		want   string
	}{
		{"a reference to a missing schema", func(doc map[string]any) {
			schemas := doc["components"].(map[string]any)["schemas"].(map[string]any)
			schemas["Recipe"].(map[string]any)["properties"].(map[string]any)["author"] = map[string]any{"$ref": "#/components/schemas/Nobody"}
		}, "Nobody"},
		{"a reference outside the document", func(doc map[string]any) {
			schemas := doc["components"].(map[string]any)["schemas"].(map[string]any)
			schemas["Recipe"].(map[string]any)["properties"].(map[string]any)["author"] = map[string]any{"$ref": "other.json#/Author"}
		}, "other.json"},
		{"an unknown schema type", func(doc map[string]any) {
			schemas := doc["components"].(map[string]any)["schemas"].(map[string]any)
			schemas["Ingredient"].(map[string]any)["properties"].(map[string]any)["name"] = map[string]any{"type": "text"}
		}, "text"},
		{"a path parameter that is not declared", func(doc map[string]any) {
			paths := doc["paths"].(map[string]any)
			paths["/api/v1/nowhere/{id}"] = map[string]any{"get": map[string]any{
				"operationId": "nowhere", "responses": map[string]any{"200": map[string]any{"description": "ok"}}}}
		}, "id"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var doc map[string]any
			if err := json.Unmarshal(openAPIDocument, &doc); err != nil {
				t.Fatal(err)
			}
			c.mutate(doc)
			b, err := json.Marshal(doc)
			if err != nil {
				t.Fatal(err)
			}
			_, err = oasParse(b)
			if err == nil {
				t.Fatal("the broken document loaded and validated")
			}
			if !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %q does not mention %q", err, c.want)
			}
		})
	}
}

func TestOpenAPIDocument(t *testing.T) {
	doc := oasLoad(t)
	if !strings.HasPrefix(doc.OpenAPI, "3.1") || !doc.IsOpenAPI31OrLater() {
		t.Errorf("openapi = %q, want 3.1.x", doc.OpenAPI)
	}
	if doc.Info.Title != "RecCollection API" || doc.Info.Version != "1" {
		t.Errorf("info title/version = %v/%v, want RecCollection API/1", doc.Info.Title, doc.Info.Version)
	}
	if doc.Info.Description == "" {
		t.Error("info has no description")
	}
	if len(doc.Servers) != 1 || doc.Servers[0].URL != "/" {
		t.Errorf(`servers = %v, want [{"url": "/"}]`, doc.Servers)
	}
	if doc.Components == nil {
		t.Fatal("no components")
	}
	schemes := doc.Components.SecuritySchemes
	if b := schemes["bearerAuth"]; b == nil || b.Value.Type != "http" || b.Value.Scheme != "bearer" {
		t.Errorf("bearerAuth = %+v, want http bearer", b)
	}
	if c := schemes["cookieAuth"]; c == nil || c.Value.Type != "apiKey" || c.Value.In != "cookie" || c.Value.Name != authhttp.SessionCookie {
		t.Errorf("cookieAuth = %+v, want apiKey in cookie %q", c, authhttp.SessionCookie)
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
	for _, o := range oasOperations(doc) {
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
	for _, tag := range doc.Tags {
		declaredTags[tag.Name] = true
	}
	schemes := doc.Components.SecuritySchemes
	ids := map[string]string{}
	for _, o := range oasOperations(doc) {
		op := o.op
		switch id := op.OperationID; {
		case id == "":
			t.Errorf("%s has no operationId", o.key)
		case ids[id] != "":
			t.Errorf("%s and %s share operationId %q", ids[id], o.key, id)
		default:
			ids[id] = o.key
		}
		if op.Summary == "" {
			t.Errorf("%s has no summary", o.key)
		}
		if len(op.Tags) == 0 {
			t.Errorf("%s has no tags", o.key)
		}
		for _, tag := range op.Tags {
			if !declaredTags[tag] {
				t.Errorf("%s: tag %q is not declared in tags", o.key, tag)
			}
		}

		var responses map[string]*openapi3.ResponseRef
		if op.Responses != nil {
			responses = op.Responses.Map()
		}
		has2xx := false
		for code, r := range responses {
			if strings.HasPrefix(code, "2") {
				has2xx = true
			}
			resp := r.Value
			if resp.Description == nil || *resp.Description == "" {
				t.Errorf("%s: response %s has no description", o.key, code)
			}
			// The API's errors are problems; /readyz answers 503 with its
			// ordinary JSON body.
			if (strings.HasPrefix(code, "4") || strings.HasPrefix(code, "5")) && strings.Contains(o.key, " /api/") {
				if resp.Content.Get("application/problem+json") == nil {
					t.Errorf("%s: error response %s is not application/problem+json", o.key, code)
				}
			}
		}
		if !has2xx {
			t.Errorf("%s has no 2xx response", o.key)
		}
		if op.RequestBody != nil {
			if photoUploads[op.OperationID] {
				if op.RequestBody.Value.Content.Get("multipart/form-data") == nil {
					t.Errorf("%s: an upload must take multipart/form-data", o.key)
				}
			} else if op.RequestBody.Value.Content.Get("application/json") == nil {
				t.Errorf("%s: request body is not application/json", o.key)
			}
			// What httpx.DecodeJSON can answer.
			for _, code := range []string{"400", "413", "415", "422"} {
				if _, ok := responses[code]; !ok {
					t.Errorf("%s takes a body but has no %s response", o.key, code)
				}
			}
		}
		if op.Security == nil {
			t.Errorf("%s does not say whether it needs authentication (no security)", o.key)
		} else {
			// An empty list, or an empty requirement among the others,
			// lets anonymous callers in.
			anonymous := len(*op.Security) == 0
			for _, req := range *op.Security {
				if len(req) == 0 {
					anonymous = true
				}
				for name := range req {
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
		}

		// Every {name} in the path is a declared, required path parameter.
		path := o.key[strings.Index(o.key, " ")+1:]
		declared := map[string]bool{}
		for _, p := range op.Parameters {
			if p.Value.In == openapi3.ParameterInPath {
				declared[p.Value.Name] = true
				if !p.Value.Required {
					t.Errorf("%s: path parameter %v is not required", o.key, p.Value.Name)
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

// The loader has resolved every reference; shared parts must also live
// under components, where clients' generators look for them, rather than
// point into some operation.
func TestOpenAPIReferencesPointAtComponents(t *testing.T) {
	var raw any
	if err := json.Unmarshal(openAPIDocument, &raw); err != nil {
		t.Fatal(err)
	}
	var walk func(at string, v any)
	walk = func(at string, v any) {
		switch v := v.(type) {
		case map[string]any:
			if ref, ok := v["$ref"].(string); ok && !strings.HasPrefix(ref, "#/components/") {
				t.Errorf("%s: %q does not point at a component", at, ref)
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
	walk("#", raw)
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
func oasCompareFields(t *testing.T, what string, schema *openapi3.Schema, goType reflect.Type, response bool) {
	t.Helper()
	if len(schema.Properties) == 0 {
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
	missing, extra := oasDiff(names, slices.Collect(maps.Keys(schema.Properties)))
	for _, m := range missing {
		t.Errorf("%s: %s has JSON field %q, missing from the schema's properties", what, goType, m)
	}
	for _, e := range extra {
		t.Errorf("%s: schema property %q is not a JSON field of %s", what, e, goType)
	}
	if !response {
		if ap := schema.AdditionalProperties; ap.Has == nil || *ap.Has || ap.Schema != nil {
			t.Errorf("%s: request schema must set additionalProperties: false (unknown fields are refused)", what)
		}
		return
	}
	missing, extra = oasDiff(always, schema.Required)
	for _, m := range missing {
		t.Errorf("%s: %q is always sent but not required", what, m)
	}
	for _, e := range extra {
		t.Errorf("%s: %q is required but %s may omit it", what, e, goType)
	}
}

// photoUploads are the operations whose body is a file (a photo,
// multipart or raw, or an archive), read as an upload rather than decoded
// as JSON.
var photoUploads = map[string]bool{"setRecipePhoto": true, "addRecipePhoto": true, "setAvatar": true, "startArchiveImport": true}

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
		{"Me", reflect.TypeFor[meView]()},
		{"EmailChangeConfirmed", reflect.TypeFor[struct {
			Email string `json:"email"`
		}]()},
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
		{"ParsedIngredient", reflect.TypeFor[recipe.Ingredient]()},
		{"ParsedIngredients", reflect.TypeFor[parseResponse]()},
		{"RecipeSuggestion", reflect.TypeFor[suggestionAnswer]()},
		{"AIGeneration", reflect.TypeFor[store.AIGeneration]()},
		{"AIGenerationList", reflect.TypeFor[aiHistory]()},
		{"ArchiveImport", reflect.TypeFor[importer.ArchiveImport]()},
		{"ArchiveImportResult", reflect.TypeFor[importer.ArchiveResult]()},
		{"Photo", reflect.TypeFor[recipe.Photo]()},
		{"PhotoVariant", reflect.TypeFor[recipe.PhotoVariant]()},
		{"StepGroup", reflect.TypeFor[recipe.StepGroup]()},
		{"IngredientGroup", reflect.TypeFor[recipe.IngredientGroup]()},
		{"ImportDraft", reflect.TypeFor[extract.Recipe]()},
		{"ImportRecipe", reflect.TypeFor[importRecipe]()},
		{"ImportPreview", reflect.TypeFor[importPreview]()},
		{"BulkImport", reflect.TypeFor[importer.Bulk]()},
		{"BulkImportItem", reflect.TypeFor[importer.BulkItem]()},
		{"Rating", reflect.TypeFor[recipe.Rating]()},
		{"Engagement", reflect.TypeFor[recipe.Engagement]()},
		{"RecipeForCaller", reflect.TypeFor[recipeForCaller]()},
		{"Collection", reflect.TypeFor[collection.Collection]()},
		{"CollectionList", reflect.TypeFor[collectionList]()},
		{"CollectionItem", reflect.TypeFor[collection.Item]()},
		{"CollectionItemList", reflect.TypeFor[itemList]()},
		{"CollectionItemPlace", reflect.TypeFor[itemPlace]()},
		{"FollowState", reflect.TypeFor[followView]()},
		{"Person", reflect.TypeFor[personView]()},
		{"PersonList", reflect.TypeFor[peopleResponse]()},
		{"Comment", reflect.TypeFor[commentJSON]()},
		{"CommentList", reflect.TypeFor[commentListResponse]()},
		{"ShareLink", reflect.TypeFor[store.ShareLink]()},
		{"NewShareLink", reflect.TypeFor[sharing.Created]()},
		{"ShareLinkList", reflect.TypeFor[shareLinkList]()},
		{"Notification", reflect.TypeFor[notificationView]()},
		{"NotificationList", reflect.TypeFor[notificationsResponse]()},
		{"NotificationPreferences", reflect.TypeFor[prefsBody]()},
		{"Household", reflect.TypeFor[planner.Household]()},
		{"HouseholdMember", reflect.TypeFor[planner.Person]()},
		{"HouseholdInvitation", reflect.TypeFor[planner.Invitation]()},
		{"NewHouseholdInvitation", reflect.TypeFor[invitations.Created]()},
		{"InvitationQueued", reflect.TypeFor[invitationQueued]()},
		{"HouseholdOffer", reflect.TypeFor[planner.Offer]()},
		{"PlanEntry", reflect.TypeFor[planner.Entry]()},
		{"MealPlan", reflect.TypeFor[planner.Plan]()},
		{"CalendarFeed", reflect.TypeFor[calendarFeed]()},
		{"ShoppingLists", reflect.TypeFor[shoppingLists]()},
		{"ShoppingListSummary", reflect.TypeFor[planner.ListSummary]()},
		{"ShoppingList", reflect.TypeFor[planner.List]()},
		{"ShoppingLine", reflect.TypeFor[planner.Item]()},
		{"ShoppingSource", reflect.TypeFor[planner.Source]()},
		{"Aisle", reflect.TypeFor[planner.Aisle]()},
		{"ShoppingAddResult", reflect.TypeFor[planner.AddResult]()},
		{"ClearedLines", reflect.TypeFor[clearedLines]()},
	}
	for _, c := range responses {
		oasCompareFields(t, "schema "+c.schema, oasSchema(t, doc, c.schema), c.goType, true)
	}
	oasCompareFields(t, "schema IngredientInput", oasSchema(t, doc, "IngredientInput"), reflect.TypeFor[ingredientObject](), false)
	// The recipes to add are objects of their own, written in the request
	// type as an anonymous struct, and their unknown fields are refused too.
	if f, ok := reflect.TypeFor[recipesAddRequest]().FieldByName("Recipes"); !ok {
		t.Error("recipesAddRequest has no field Recipes")
	} else if s, err := oasAt(doc, "ShoppingRecipesInput/properties/recipes/items"); err != nil {
		t.Error(err)
	} else {
		oasCompareFields(t, "schema ShoppingRecipesInput recipes[]", s, f.Type.Elem(), false)
	}

	// Every request body, by the operation that takes it.
	requests := map[string]reflect.Type{
		"register":         reflect.TypeFor[registerRequest](),
		"login":            reflect.TypeFor[loginRequest](),
		"createToken":      reflect.TypeFor[createTokenRequest](),
		"updateMe":         reflect.TypeFor[updateMeRequest](),
		"changePassword":   reflect.TypeFor[changePasswordRequest](),
		"deleteAccount":    reflect.TypeFor[deleteAccountRequest](),
		"createRecipe":     reflect.TypeFor[recipeRequest](),
		"replaceRecipe":    reflect.TypeFor[recipeRequest](),
		"patchRecipe":      reflect.TypeFor[recipeRequest](),
		"patchPhoto":       reflect.TypeFor[photoPatchRequest](),
		"startTOTP":        reflect.TypeFor[startTOTPRequest](),
		"confirmTOTP":      reflect.TypeFor[codeRequest](),
		"verifyMFA":        reflect.TypeFor[codeRequest](),
		"disableTOTP":      reflect.TypeFor[codeRequest](),
		"adminSetRole":     reflect.TypeFor[roleRequest](),
		"adminSetFlag":     reflect.TypeFor[flagRequest](),
		"parseIngredients": reflect.TypeFor[parseRequest](),
	}
	requests["requestPasswordReset"] = reflect.TypeFor[passwordResetRequest]()
	requests["confirmPasswordReset"] = reflect.TypeFor[passwordResetConfirm]()
	requests["confirmEmailChange"] = reflect.TypeFor[emailChangeConfirm]()
	requests["previewImport"] = reflect.TypeFor[importRequest]()
	requests["suggestForRecipe"] = reflect.TypeFor[recipeRequest]()
	requests["saveImport"] = reflect.TypeFor[importSaveRequest]()
	requests["startBulkImport"] = reflect.TypeFor[bulkRequest]()
	requests["rateRecipe"] = reflect.TypeFor[ratingRequest]()
	requests["createCollection"] = reflect.TypeFor[collectionRequest]()
	requests["patchCollection"] = reflect.TypeFor[collectionRequest]()
	requests["addToCollection"] = reflect.TypeFor[itemRequest]()
	requests["moveInCollection"] = reflect.TypeFor[positionRequest]()
	requests["addComment"] = reflect.TypeFor[commentRequest]()
	requests["editComment"] = reflect.TypeFor[commentRequest]()
	requests["createShareLink"] = reflect.TypeFor[shareLinkRequest]()
	requests["emailShareLink"] = reflect.TypeFor[shareEmailRequest]()
	requests["markNotificationsRead"] = reflect.TypeFor[markReadRequest]()
	requests["setNotificationPreferences"] = reflect.TypeFor[prefsBody]()
	requests["renameHousehold"] = reflect.TypeFor[householdRequest]()
	requests["inviteToHousehold"] = reflect.TypeFor[invitationRequest]()
	requests["setHouseholdRole"] = reflect.TypeFor[memberRoleRequest]()
	requests["addPlanEntry"] = reflect.TypeFor[entryRequest]()
	requests["changePlanEntry"] = reflect.TypeFor[entryPatch]()
	requests["copyPlanEntry"] = reflect.TypeFor[copyRequest]()
	requests["setMealSlots"] = reflect.TypeFor[slotsRequest]()
	requests["createShoppingList"] = reflect.TypeFor[listRequest]()
	requests["renameShoppingList"] = reflect.TypeFor[listRequest]()
	requests["addShoppingItem"] = reflect.TypeFor[itemAddRequest]()
	requests["addRecipesToShoppingList"] = reflect.TypeFor[recipesAddRequest]()
	requests["addMealPlanToShoppingList"] = reflect.TypeFor[planAddRequest]()
	requests["changeShoppingItem"] = reflect.TypeFor[itemPatch]()
	seen := map[string]bool{}
	for _, o := range oasOperations(doc) {
		id := o.op.OperationID
		rb := o.op.RequestBody
		hasBody := rb != nil
		goType, known := requests[id]
		switch {
		case photoUploads[id]:
			continue
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
		media := rb.Value.Content.Get("application/json")
		if media == nil || media.Schema == nil {
			t.Errorf("%s: no application/json request schema", o.key)
			continue
		}
		schema := media.Schema.Value
		oasCompareFields(t, o.key+" request body", schema, goType, false)

		if goType == reflect.TypeFor[recipeRequest]() {
			var kinds []string
			if ing := schema.Properties["ingredients"]; ing != nil && ing.Value.Items != nil {
				for _, alt := range ing.Value.Items.Value.OneOf {
					if alt.Ref != "" {
						kinds = append(kinds, alt.Ref)
					} else {
						kinds = append(kinds, strings.Join(alt.Value.Type.Slice(), ","))
					}
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
	at := func(path string) *openapi3.Schema {
		t.Helper()
		s, err := oasAt(doc, path)
		if err != nil {
			t.Error(err)
			return &openapi3.Schema{}
		}
		return s
	}
	// num checks a numeric keyword, named by the last part of path.
	num := func(path string, want float64) {
		t.Helper()
		i := strings.LastIndex(path, "/")
		got, ok := oasKeyword(at(path[:i]), path[i+1:])
		if !ok || got != want {
			t.Errorf("%s = %v (set: %v), want %v", path, got, ok, want)
		}
	}
	const recipeInput = "RecipeInput/properties/"
	const recipePatch = "RecipePatch/properties/"
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
		num(base+"ingredient_groups/maxItems", recipe.MaxIngredients)
		num(base+"steps/maxItems", recipe.MaxSteps)
		num(base+"steps/items/maxLength", recipe.MaxStep)
		num(base+"step_groups/maxItems", recipe.MaxSteps)
		num(base+"tags/maxItems", recipe.MaxTags)
		num(base+"tags/items/maxLength", recipe.MaxLabel)
		num(base+"categories/maxItems", recipe.MaxCategories)
		num(base+"categories/items/maxLength", recipe.MaxLabel)
	}
	num(recipeInput+"title/minLength", 1)
	num("RatingRequest/properties/stars/minimum", recipe.MinStars)
	num("RatingRequest/properties/stars/maximum", recipe.MaxStars)
	if req := at("RecipeInput").Required; !slices.Equal(req, []string{"title"}) {
		t.Errorf("RecipeInput required = %v, want [title]", req)
	}
	if req := at("RecipePatch").Required; len(req) > 0 {
		t.Errorf("RecipePatch requires %v; it must not require fields: absent fields keep their stored value", req)
	}
	const ing = "IngredientInput/properties/"
	num(ing+"name/maxLength", recipe.MaxIngredientName)
	num(ing+"unit/maxLength", recipe.MaxUnit)
	num(ing+"note/maxLength", recipe.MaxNote)
	num(ing+"original/maxLength", recipe.MaxIngredientLine)
	num(ing+"quantity/maximum", recipe.MaxQuantity)
	num(ing+"quantity_max/maximum", recipe.MaxQuantity)

	for _, group := range []string{"StepGroup", "IngredientGroup"} {
		num(group+"/properties/title/maxLength", recipe.MaxGroupTitle)
		num(group+"/properties/start/minimum", 0)
	}

	num("ParseIngredientsRequest/properties/lines/maxItems", recipe.MaxIngredients)
	num("ParseIngredientsRequest/properties/lines/items/maxLength", recipe.MaxIngredientLine)
	num("ParsedIngredients/properties/ingredients/maxItems", recipe.MaxIngredients)

	const reg = "RegisterRequest/properties/"
	num(reg+"username/minLength", auth.MinUsername)
	num(reg+"username/maxLength", auth.MaxUsername)
	num(reg+"email/maxLength", auth.MaxEmail)
	num(reg+"password/minLength", auth.MinPassword)
	num(reg+"password/maxLength", auth.MaxPassword)
	num(reg+"display_name/maxLength", auth.MaxDisplayName)
	num("ChangePasswordRequest/properties/new_password/minLength", auth.MinPassword)
	num("ChangePasswordRequest/properties/new_password/maxLength", auth.MaxPassword)
	num("UpdateMeRequest/properties/display_name/maxLength", auth.MaxDisplayName)
	num("UpdateMeRequest/properties/bio/maxLength", auth.MaxBio)
	num("UpdateMeRequest/properties/email/maxLength", auth.MaxEmail)
	num("LoginRequest/properties/login/maxLength", auth.MaxEmail)
	num("LoginRequest/properties/password/maxLength", 4*auth.MaxPassword)
	num("APITokenList/properties/items/maxItems", 2*account.MaxTokens)

	// The list query parameters, found by name.
	var list *openapi3.Operation
	for _, o := range oasOperations(doc) {
		if o.key == "GET /api/v1/recipes" {
			list = o.op
		}
	}
	if list == nil {
		t.Fatal("no GET /api/v1/recipes")
	}
	params := map[string]*openapi3.Schema{}
	for _, p := range list.Parameters {
		if p.Value.In == openapi3.ParameterInQuery && p.Value.Schema != nil {
			params[p.Value.Name] = p.Value.Schema.Value
		}
	}
	wantParams := []string{"q", "sort", "limit", "cursor", "author", "tag", "category", "difficulty", "visibility", "max_minutes", "exact"}
	missing, extra := oasDiff(wantParams, slices.Collect(maps.Keys(params)))
	if len(missing) > 0 || len(extra) > 0 {
		t.Fatalf("list query parameters: missing %v, extra %v", missing, extra)
	}
	checkNum := func(param, keyword string, want float64) {
		t.Helper()
		if got, ok := oasKeyword(params[param], keyword); !ok || got != want {
			t.Errorf("query parameter %s: %s = %v (set: %v), want %v", param, keyword, got, ok, want)
		}
	}
	checkEnum := func(what string, got, want []string) {
		t.Helper()
		missing, extra := oasDiff(want, got)
		if len(missing) > 0 || len(extra) > 0 {
			t.Errorf("%s enum = %v: missing %v, extra %v", what, got, missing, extra)
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
	checkEnum("query parameter sort", oasEnum(params["sort"]), slices.Collect(maps.Keys(sorts)))
	checkEnum("query parameter difficulty", oasEnum(params["difficulty"]), []string{string(recipe.Easy), string(recipe.Medium), string(recipe.Hard)})
	checkEnum("query parameter visibility", oasEnum(params["visibility"]), []string{string(recipe.Public), string(recipe.Unlisted), string(recipe.Private)})

	checkEnum("Visibility", oasEnum(at("Visibility")), []string{string(recipe.Public), string(recipe.Unlisted), string(recipe.Private)})
	checkEnum("Difficulty", oasEnum(at("Difficulty")), []string{"", string(recipe.Easy), string(recipe.Medium), string(recipe.Hard)})

	num("ImportRequest/properties/url/maxLength", importer.MaxURL)
	num("ImportRequest/properties/html/maxLength", extract.MaxHTML)
	num("ImportRequest/properties/text/maxLength", extract.MaxText)
	num("BulkImportRequest/properties/urls/maxItems", importer.MaxBulkURLs)
	num("ImportSaveRequest/properties/image_url/maxLength", importer.MaxURL)
	checkEnum("BulkImport status", oasEnum(at("BulkImport/properties/status")),
		[]string{string(importer.BulkQueued), string(importer.BulkRunning), string(importer.BulkDone)})

	// Shopping lists: the caps, the servings and the aisles the store
	// enforces, and the 409 answers' messages word for word.
	num("ShoppingListInput/properties/name/minLength", 1)
	num("ShoppingListInput/properties/name/maxLength", planner.MaxListName)
	num("ShoppingListSummary/properties/name/maxLength", planner.MaxListName)
	num("ShoppingItemInput/properties/text/minLength", 1)
	num("ShoppingItemInput/properties/text/maxLength", planner.MaxItemText)
	num("ShoppingRecipesInput/properties/recipes/maxItems", planner.MaxAddRecipes)
	num("ShoppingRecipesInput/properties/recipes/items/properties/servings/minimum", 1)
	num("ShoppingRecipesInput/properties/recipes/items/properties/servings/maximum", planner.MaxServings)
	num("ShoppingLists/properties/items/maxItems", planner.MaxLists)
	num("ShoppingList/properties/lines/maxItems", planner.MaxItems)
	num("ShoppingListSummary/properties/items/maximum", planner.MaxItems)
	num("ClearedLines/properties/removed/maximum", planner.MaxItems)
	aisles := make([]string, len(planner.Aisles))
	for i, a := range planner.Aisles {
		aisles[i] = a.Key
	}
	if got := oasEnum(at("AisleKey")); !slices.Equal(got, aisles) {
		t.Errorf("AisleKey enum = %v, want %v in shop order", got, aisles)
	}
	// A 409 says why beside its $ref, which the loader resolves away: read
	// the descriptions from the document as written.
	var raw struct {
		Paths map[string]map[string]struct {
			Responses map[string]struct {
				Description string `json:"description"`
			} `json:"responses"`
		} `json:"paths"`
	}
	if err := json.Unmarshal(openAPIDocument, &raw); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ path, message string }{
		{"/api/v1/shopping-lists", planner.TooManyListsMessage},
		{"/api/v1/shopping-lists/{id}/items", planner.ListFullMessage},
		{"/api/v1/shopping-lists/{id}/recipes", planner.ListFullMessage},
		{"/api/v1/shopping-lists/{id}/meal-plan", planner.ListFullMessage},
	} {
		if got := raw.Paths[c.path]["post"].Responses["409"].Description; !strings.Contains(got, c.message) {
			t.Errorf("POST %s: 409 described as %q, want the answer's message %q", c.path, got, c.message)
		}
	}

	responses := doc.Components.Responses
	if r := responses["PayloadTooLarge"]; r == nil || r.Value.Description == nil || !strings.Contains(*r.Value.Description, fmt.Sprint(httpx.MaxBody)) {
		t.Errorf("PayloadTooLarge does not state the %d-byte limit", httpx.MaxBody)
	}
	if r := responses["TooManyRequests"]; r == nil || r.Value.Headers["Retry-After"] == nil {
		t.Error("429 answers must document Retry-After")
	}
}
