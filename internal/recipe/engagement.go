package recipe

import "math"

// Counts are how a recipe has been received, as everyone who may see it
// sees them: how many people like it and keep it, and its rating.
type Counts struct {
	Likes  int    `json:"likes"`
	Saves  int    `json:"saves"`
	Rating Rating `json:"rating"`
}

// Rating is the average of a recipe's ratings (0 without any) and how
// many there are.
type Rating struct {
	Average float64 `json:"average"`
	Count   int     `json:"count"`
}

// NewRating is the rating of count ratings whose stars add up to sum,
// the average rounded to two decimals.
func NewRating(count, sum int) Rating {
	if count <= 0 {
		return Rating{}
	}
	return Rating{Average: math.Round(float64(sum)/float64(count)*100) / 100, Count: count}
}

// Mine is what one signed-in person has done with a recipe: liked it,
// saved it into their library, rated it (MyRating nil when not).
type Mine struct {
	Liked    bool `json:"liked"`
	Saved    bool `json:"saved"`
	MyRating *int `json:"my_rating"`
}

// Engagement is a recipe's counts with one person's own marks, the answer
// to a like, save or rating.
type Engagement struct {
	Counts
	Mine
}

// MinStars and MaxStars bound a rating.
const (
	MinStars = 1
	MaxStars = 5
)

// ValidStars reports whether n is a rating one may give.
func ValidStars(n int) bool { return n >= MinStars && n <= MaxStars }
