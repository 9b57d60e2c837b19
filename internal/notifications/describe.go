package notifications

import (
	"net/url"

	"github.com/reccollection/reccollection/internal/notify"
	"github.com/reccollection/reccollection/internal/store"
)

// Describe says what n is about in a sentence, for the list, the API and
// emails: "Bob liked your recipe “Plum cake”".
func Describe(n store.Notification) string {
	who := n.ActorDisplayName
	if who == "" {
		who = n.ActorUsername
	}
	if who == "" {
		who = "Someone"
	}
	who = notify.OneLine(who)
	title := "“" + notify.OneLine(n.RecipeTitle) + "”"
	switch n.Kind {
	case store.KindFollow:
		return who + " started following you"
	case store.KindLike:
		return who + " liked your recipe " + title
	case store.KindComment:
		return who + " commented on your recipe " + title
	case store.KindNewRecipe:
		return who + " posted a new recipe: " + title
	case store.KindShared:
		return who + " shared the recipe " + title + " with you"
	}
	return who + " did something"
}

// Path is where n leads, on the site: the comments of a comment, the
// recipe of a like, a share or a new recipe, the profile of a follower.
func Path(n store.Notification) string {
	switch {
	case n.Kind == store.KindComment && n.RecipeID != "":
		return "/recipes/" + n.RecipeID + "/comments"
	case n.RecipeID != "":
		return "/recipes/" + n.RecipeID
	case n.ActorUsername != "":
		return "/u/" + url.PathEscape(n.ActorUsername)
	}
	return "/notifications"
}

// KindLabel names a kind in settings.
func KindLabel(k store.NotificationKind) string {
	switch k {
	case store.KindFollow:
		return "New followers"
	case store.KindLike:
		return "Likes of your recipes"
	case store.KindComment:
		return "Comments on your recipes"
	case store.KindNewRecipe:
		return "New recipes from cooks you follow"
	case store.KindShared:
		return "Recipes shared with you"
	}
	return string(k)
}

// ChannelLabel names a channel in settings.
func ChannelLabel(c store.NotificationChannel) string {
	switch c {
	case store.ChannelApp:
		return "In the app"
	case store.ChannelEmail:
		return "Email each"
	case store.ChannelDigest:
		return "Daily digest"
	case store.ChannelOff:
		return "Off"
	}
	return string(c)
}
