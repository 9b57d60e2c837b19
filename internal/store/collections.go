package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/reccollection/reccollection/internal/collection"
	"github.com/reccollection/reccollection/internal/recipe"
)

// Collections (migration 24): a person's named lists of recipes, in the
// tables collections and collection_recipes. This file creates, edits,
// deletes and reads them; collectionitems.go adds, removes and orders
// their recipes.
//
// Who sees what: a collection is seen by whoever collection.CanView
// allows, and a hidden collection answers ErrNotFound, as a missing one.
// Inside it, each recipe is shown to a viewer only if they may read it
// (recipe.CanRead, as readableBy writes it in SQL), and the count, the
// cover and the positions a viewer gets are taken over those recipes
// only, so nothing tells them a hidden one is there.

var (
	// ErrNotOwner: the caller may see the collection but it is not
	// theirs to change (403, where a hidden one is ErrNotFound).
	ErrNotOwner = errors.New("store: not the collection's owner")
	// ErrTooManyCollections: the person already has
	// collection.MaxPerUser collections.
	ErrTooManyCollections = errors.New("store: too many collections")
	// ErrCollectionFull: the collection already holds
	// collection.MaxRecipes recipes.
	ErrCollectionFull = errors.New("store: collection is full")
)

// collectionCaps bound collections; zero fields mean collection.MaxPerUser
// and collection.MaxRecipes (a test lowers them to reach them quickly).
type collectionCaps struct{ perUser, recipes int }

func (s *Store) collectionsPerUser() int {
	if s.collectionCaps.perUser > 0 {
		return s.collectionCaps.perUser
	}
	return collection.MaxPerUser
}

func (s *Store) recipesPerCollection() int {
	if s.collectionCaps.recipes > 0 {
		return s.collectionCaps.recipes
	}
	return collection.MaxRecipes
}

// readableBy is the recipe.CanRead rule for recipes aliased r in SQL,
// for viewerID ("" for a visitor), and its arguments.
func readableBy(r, viewerID string) (string, []any) {
	if viewerID == "" {
		return r + ".visibility <> 'private'", nil
	}
	return "(" + r + ".visibility <> 'private' OR " + r + ".author_id = ?)", []any{viewerID}
}

// collectionColumns are a collection's columns for viewerID, its owner
// (users u) included: the recipe count and the cover are over the
// recipes that viewer may read, each a correlated subselect, so a list
// of collections is still one statement.
func collectionColumns(d dialect, viewerID string) (string, []any) {
	vis, args := readableBy("r", viewerID)
	count := "(SELECT count(*) FROM collection_recipes ci JOIN recipes r ON r.id = ci.recipe_id" +
		" WHERE ci.collection_id = c.id AND " + vis + ")"
	cover := "(SELECT " + d.jsonObject("v", "r.visibility", "p", photoObject(d, "p")) +
		" FROM collection_recipes ci JOIN recipes r ON r.id = ci.recipe_id" +
		" JOIN photos p ON p.recipe_id = r.id AND p.role = 'main'" +
		" WHERE ci.collection_id = c.id AND " + vis + " ORDER BY ci.position LIMIT 1)"
	return "c.id, c.name, c.description, c.visibility, c.created_at, c.updated_at, u.id, u.username, u.display_name, " +
		count + ", " + cover, append(append([]any{}, args...), args...)
}

const collectionFrom = " FROM collections c JOIN users u ON u.id = c.owner_id"

// coverJSON is the cover column: the photo and its recipe's visibility,
// which decides how the photo is linked (photos of private recipes go
// through the access check).
type coverJSON struct {
	Visibility recipe.Visibility `json:"v"`
	Photo      photoJSON         `json:"p"`
}

func (s *Store) scanCollection(row interface{ Scan(...any) error }) (*collection.Collection, error) {
	var c collection.Collection
	var cover []byte
	if err := row.Scan(&c.ID, &c.Name, &c.Description, &c.Visibility, &c.CreatedAt, &c.UpdatedAt,
		&c.Owner.ID, &c.Owner.Username, &c.Owner.DisplayName, &c.RecipeCount, &cover); err != nil {
		return nil, err
	}
	if cover != nil {
		var j coverJSON
		if err := json.Unmarshal(cover, &j); err != nil {
			return nil, fmt.Errorf("cover of collection %s: %w", c.ID, err)
		}
		p := s.photo(&j.Photo, j.Visibility == recipe.Private)
		c.Cover = &p
	}
	return &c, nil
}

// collectionIn reads collection id as viewerID sees it, ErrNotFound when
// it is missing or hidden from them.
func (s *Store) collectionIn(ctx context.Context, q conn, viewerID, id string) (*collection.Collection, error) {
	if !validID(id) {
		return nil, ErrNotFound
	}
	cols, args := collectionColumns(s.d, viewerID)
	c, err := s.scanCollection(q.QueryRowContext(ctx, "SELECT "+cols+collectionFrom+" WHERE c.id = ?", append(args, id)...))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("read collection %s: %w", id, err)
	}
	if !collection.CanView(c.Owner.ID, c.Visibility, viewerID) {
		return nil, ErrNotFound
	}
	return c, nil
}

// Collection is collection id as viewerID ("" for a visitor) sees it: its
// recipe count and cover over the recipes they may read. A collection
// they may not see answers ErrNotFound, as a missing one.
func (s *Store) Collection(ctx context.Context, viewerID, id string) (*collection.Collection, error) {
	var c *collection.Collection
	err := s.fromReplicaOrPrimary(ctx, func(q conn) (err error) {
		c, err = s.collectionIn(ctx, q, viewerID, id)
		return err
	})
	return c, err
}

// CollectionsOf lists ownerID's collections that viewerID may see listed,
// by name: all of them for the owner, the public ones for anyone else
// (an unlisted one is reached only by its URL). One statement, whatever
// the number of collections (at most collection.MaxPerUser).
func (s *Store) CollectionsOf(ctx context.Context, ownerID, viewerID string) ([]*collection.Collection, error) {
	out := []*collection.Collection{}
	if !validID(ownerID) {
		return out, nil
	}
	cols, args := collectionColumns(s.d, viewerID)
	query := "SELECT " + cols + collectionFrom + " WHERE c.owner_id = ?"
	if viewerID != ownerID {
		query += " AND c.visibility = 'public'"
	}
	query += " ORDER BY lower(c.name), c.id"
	err := s.fromReplica(ctx, func(q conn) error {
		out = out[:0]
		rows, err := q.QueryContext(ctx, query, append(args, ownerID)...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			c, err := s.scanCollection(rows)
			if err != nil {
				return err
			}
			out = append(out, c)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("list collections: %w", err)
	}
	return out, nil
}

// CreateCollection makes a collection of ownerID's from in (validated
// here: a *validate.Error before anything is written). A person with
// collection.MaxPerUser collections already gets ErrTooManyCollections;
// their row is locked on PostgreSQL so two creations at once cannot both
// slip under the cap (SQLite has one writer).
func (s *Store) CreateCollection(ctx context.Context, ownerID string, in collection.Input) (*collection.Collection, error) {
	if err := in.Normalize().Err(); err != nil {
		return nil, err
	}
	if !validID(ownerID) {
		return nil, ErrNotFound
	}
	var c *collection.Collection
	err := s.inTx(ctx, func(tx conn) error {
		if err := s.lockUser(ctx, tx, ownerID); err != nil {
			return err
		}
		var n int
		if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM collections WHERE owner_id = ?", ownerID).Scan(&n); err != nil {
			return fmt.Errorf("count collections: %w", err)
		}
		if n >= s.collectionsPerUser() {
			return ErrTooManyCollections
		}
		id, now := newID(), s.collectionTime()
		if _, err := tx.ExecContext(ctx, "INSERT INTO collections (id, owner_id, name, description, visibility, created_at, updated_at)"+
			" VALUES (?, ?, ?, ?, ?, ?, ?)", id, ownerID, in.Name, in.Description, string(in.Visibility), now, now); err != nil {
			return fmt.Errorf("create collection: %w", err)
		}
		var err error
		c, err = s.collectionIn(ctx, tx, ownerID, id)
		return err
	})
	return c, err
}

// UpdateCollection replaces the name, description and visibility of
// ownerID's collection id with in (validated here, complete: a partial
// change is merged by the caller first).
func (s *Store) UpdateCollection(ctx context.Context, ownerID, id string, in collection.Input) (*collection.Collection, error) {
	if err := in.Normalize().Err(); err != nil {
		return nil, err
	}
	var c *collection.Collection
	err := s.inTx(ctx, func(tx conn) error {
		if err := s.lockCollection(ctx, tx, ownerID, id); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "UPDATE collections SET name = ?, description = ?, visibility = ?, updated_at = ? WHERE id = ?",
			in.Name, in.Description, string(in.Visibility), s.collectionTime(), id); err != nil {
			return fmt.Errorf("update collection %s: %w", id, err)
		}
		var err error
		c, err = s.collectionIn(ctx, tx, ownerID, id)
		return err
	})
	return c, err
}

// DeleteCollection deletes ownerID's collection id; its recipes stay
// where they are, only their place in it goes (cascade).
func (s *Store) DeleteCollection(ctx context.Context, ownerID, id string) error {
	return s.inTx(ctx, func(tx conn) error {
		if err := s.lockCollection(ctx, tx, ownerID, id); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM collections WHERE id = ?", id); err != nil {
			return fmt.Errorf("delete collection %s: %w", id, err)
		}
		return nil
	})
}

// lockCollection checks that collection id is ownerID's, and on
// PostgreSQL locks its row for the transaction: every change of a
// collection starts here, so changes of one collection run one after
// another and each sees the last one's positions (SQLite has one writer
// at a time anyway). Someone else's collection that ownerID may see
// answers ErrNotOwner; one they may not see, or none, ErrNotFound.
func (s *Store) lockCollection(ctx context.Context, tx conn, ownerID, id string) error {
	if !validID(id) {
		return ErrNotFound
	}
	q := "SELECT owner_id, visibility FROM collections WHERE id = ?"
	if s.d.name() == "postgres" {
		q += " FOR UPDATE"
	}
	var owner string
	var vis recipe.Visibility
	err := tx.QueryRowContext(ctx, q, id).Scan(&owner, &vis)
	if errors.Is(err, sql.ErrNoRows) {
		return ErrNotFound
	}
	if err != nil {
		return fmt.Errorf("lock collection %s: %w", id, err)
	}
	if ownerID == "" || owner != ownerID {
		if collection.CanView(owner, vis, ownerID) {
			return ErrNotOwner
		}
		return ErrNotFound
	}
	return nil
}

// collectionTime is the time of a change, as the columns store it.
func (s *Store) collectionTime() time.Time { return s.now().UTC().Truncate(time.Microsecond) }

// collectionChoices is a column of readerID's collections, by name, each
// with whether the recipe whose id is the expression recipeID is in it:
// a JSON array of collection.Choice's short form (choiceJSON). Its one
// argument is the reader's id. The recipe page reads it in the recipe's
// own statement, so its "Add to collection" form costs no round trip.
func collectionChoices(d dialect, recipeID string) string {
	choice := d.jsonObject("i", "c.id", "n", "c.name",
		"h", "CASE WHEN EXISTS (SELECT 1 FROM collection_recipes ci WHERE ci.collection_id = c.id AND ci.recipe_id = "+recipeID+") THEN 1 ELSE 0 END")
	return "(SELECT " + d.jsonArray(choice, "lower(c.name), c.id") + " FROM collections c WHERE c.owner_id = ?)"
}

// choiceJSON is a collection.Choice as collectionChoices writes it.
type choiceJSON struct {
	ID       string `json:"i"`
	Name     string `json:"n"`
	Contains int    `json:"h"`
}

func decodeChoices(data []byte) ([]collection.Choice, error) {
	out := []collection.Choice{}
	if data == nil {
		return out, nil
	}
	var js []choiceJSON
	if err := json.Unmarshal(data, &js); err != nil {
		return nil, fmt.Errorf("collection choices: %w", err)
	}
	for _, j := range js {
		out = append(out, collection.Choice{ID: j.ID, Name: j.Name, Contains: j.Contains != 0})
	}
	return out, nil
}

// CollectionChoices are readerID's collections, by name, each saying
// whether recipe id is in it, for a recipe the reader may read
// (ErrNotFound otherwise, as for a missing one), in one statement.
func (s *Store) CollectionChoices(ctx context.Context, v recipe.Viewer, id string) (*recipe.Summary, []collection.Choice, error) {
	if v.UserID == "" || !validID(id) {
		return nil, nil, ErrNotFound
	}
	var sum recipe.Summary
	var choices []collection.Choice
	err := s.fromReplicaOrPrimary(ctx, func(q conn) error {
		var data []byte
		err := q.QueryRowContext(ctx, "SELECT r.id, r.title, r.visibility, r.author_id, "+collectionChoices(s.d, "r.id")+
			" FROM recipes r WHERE r.id = ?", v.UserID, id).Scan(&sum.ID, &sum.Title, &sum.Visibility, &sum.Author.ID, &data)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return fmt.Errorf("read collections for recipe %s: %w", id, err)
		}
		if !recipe.CanRead(&sum, v) {
			return ErrNotFound
		}
		choices, err = decodeChoices(data)
		return err
	})
	if err != nil {
		return nil, nil, err
	}
	return &sum, choices, nil
}

// RecipeWithChoices is RecipeFor with userID's collections for the
// recipe (collection.Choice), read in the recipe's one statement, so the
// recipe page's "Add to collection" form adds no round trip. A visitor
// ("") gets no choices.
func (s *Store) RecipeWithChoices(ctx context.Context, id, userID string) (*recipe.Recipe, recipe.Mine, []collection.Choice, error) {
	if userID == "" {
		r, m, err := s.RecipeFor(ctx, id, "")
		return r, m, nil, err
	}
	if !validID(id) {
		return nil, recipe.Mine{}, nil, ErrNotFound
	}
	var r *recipe.Recipe
	var m recipe.Mine
	var data []byte
	err := s.fromReplicaOrPrimary(ctx, func(q conn) (err error) {
		r, m, err = s.loadRecipeFor(ctx, q, id, userID, &data)
		return err
	})
	if err != nil {
		return nil, m, nil, err
	}
	choices, err := decodeChoices(data)
	if err != nil {
		return nil, m, nil, fmt.Errorf("load recipe %s: %w", id, err)
	}
	return r, m, choices, nil
}
