package flags

import (
	"context"
	"errors"

	"github.com/open-feature/go-sdk/openfeature"
)

// Provider is an OpenFeature provider backed by an Evaluator, for code
// that prefers the vendor-neutral API. The targeting key is the user id;
// an evaluation without one is an anonymous visitor. Only boolean flags
// exist, so every other type is a type mismatch.
type Provider struct {
	e *Evaluator
}

// NewProvider wraps e.
func NewProvider(e *Evaluator) *Provider { return &Provider{e: e} }

var _ openfeature.FeatureProvider = (*Provider)(nil)

// Metadata names the provider.
func (p *Provider) Metadata() openfeature.Metadata {
	return openfeature.Metadata{Name: "reccollection-flags"}
}

// Hooks: the provider has none.
func (p *Provider) Hooks() []openfeature.Hook { return nil }

// BooleanEvaluation evaluates key for the context's targeting key. On an
// error the caller's default is returned, as OpenFeature requires.
func (p *Provider) BooleanEvaluation(ctx context.Context, key string, defaultValue bool, flat openfeature.FlattenedContext) openfeature.BoolResolutionDetail {
	userID, _ := flat[openfeature.TargetingKey].(string)
	res := p.e.Evaluate(ctx, key, userID)
	detail := openfeature.ProviderResolutionDetail{Reason: openfeature.Reason(res.Reason)}
	if res.Err != nil {
		if errors.Is(res.Err, ErrUnknownFlag) {
			detail.ResolutionError = openfeature.NewFlagNotFoundResolutionError(res.Err.Error())
		} else {
			detail.ResolutionError = openfeature.NewGeneralResolutionError(res.Err.Error())
		}
		return openfeature.BoolResolutionDetail{Value: defaultValue, ProviderResolutionDetail: detail}
	}
	detail.Variant = "off"
	if res.Value {
		detail.Variant = "on"
	}
	if f, ok := p.e.Flag(key); ok {
		detail.FlagMetadata = openfeature.FlagMetadata{"owner": f.Owner, "environment": p.e.Environment()}
	}
	return openfeature.BoolResolutionDetail{Value: res.Value, ProviderResolutionDetail: detail}
}

// mismatch answers an evaluation of a type no flag has.
func (p *Provider) mismatch(key string) openfeature.ProviderResolutionDetail {
	msg := "feature flags are boolean"
	if _, ok := p.e.Flag(key); !ok {
		return openfeature.ProviderResolutionDetail{Reason: openfeature.ErrorReason,
			ResolutionError: openfeature.NewFlagNotFoundResolutionError("unknown feature flag " + key)}
	}
	return openfeature.ProviderResolutionDetail{Reason: openfeature.ErrorReason,
		ResolutionError: openfeature.NewTypeMismatchResolutionError(msg)}
}

// StringEvaluation: no string flags exist.
func (p *Provider) StringEvaluation(_ context.Context, key string, def string, _ openfeature.FlattenedContext) openfeature.StringResolutionDetail {
	return openfeature.StringResolutionDetail{Value: def, ProviderResolutionDetail: p.mismatch(key)}
}

// FloatEvaluation: no number flags exist.
func (p *Provider) FloatEvaluation(_ context.Context, key string, def float64, _ openfeature.FlattenedContext) openfeature.FloatResolutionDetail {
	return openfeature.FloatResolutionDetail{Value: def, ProviderResolutionDetail: p.mismatch(key)}
}

// IntEvaluation: no number flags exist.
func (p *Provider) IntEvaluation(_ context.Context, key string, def int64, _ openfeature.FlattenedContext) openfeature.IntResolutionDetail {
	return openfeature.IntResolutionDetail{Value: def, ProviderResolutionDetail: p.mismatch(key)}
}

// ObjectEvaluation: no object flags exist.
func (p *Provider) ObjectEvaluation(_ context.Context, key string, def any, _ openfeature.FlattenedContext) openfeature.InterfaceResolutionDetail {
	return openfeature.InterfaceResolutionDetail{Value: def, ProviderResolutionDetail: p.mismatch(key)}
}
