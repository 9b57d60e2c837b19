package ai

import "github.com/reccollection/reccollection/internal/recipe"

// minutes and people make the optional numbers of an Input.
func minutes(n int) *int { return &n }
func people(n int) *int  { return &n }

// lines turns ingredient lines into the Input's ingredients, as the
// recipe form sends them.
func lines(ls ...string) []recipe.Ingredient {
	out := make([]recipe.Ingredient, len(ls))
	for i, l := range ls {
		out[i] = recipe.IngredientLine(l)
	}
	return out
}

// Real-looking recipes the tests share.
var (
	roastChicken = recipe.Input{
		Ingredients: lines("8 skin-on chicken thighs", "2 lemons, halved", "1 head garlic, cloves separated",
			"2 tbsp olive oil", "few sprigs thyme", "salt and pepper"),
		Steps: []string{
			"Heat the oven to 200°C.",
			"Toss the chicken with the oil, lemons, garlic and thyme in a roasting tin and season well.",
			"Roast for 45 minutes until golden and cooked through. Rest for 5 minutes before serving.",
		},
		PrepMinutes: minutes(10), CookMinutes: minutes(45), Servings: people(4),
	}
	lentilSoup = recipe.Input{
		Ingredients: lines("1 onion, chopped", "2 carrots, diced", "2 cloves garlic, crushed", "1 tsp ground cumin",
			"200 g red lentils", "1 can (400 g) chopped tomatoes", "1 litre vegetable stock", "salt and pepper"),
		Steps: []string{
			"Soften the onion and carrots in a little oil in a large pan for 10 minutes.",
			"Add the garlic and cumin and cook for 1 minute. Stir in the lentils, tomatoes and stock.",
			"Bring to the boil and simmer for 25 minutes, then blend until smooth. Ladle the soup into bowls.",
		},
		PrepMinutes: minutes(15), CookMinutes: minutes(40), Servings: people(6),
	}
	carrotCake = recipe.Input{
		Ingredients: lines("300 g carrots, grated", "250 g self-raising flour", "200 g light brown sugar", "3 eggs",
			"200 ml sunflower oil", "100 g walnuts, chopped", "2 tsp ground cinnamon", "1 tsp mixed spice",
			"½ tsp ground nutmeg", "1 tsp bicarbonate of soda", "200 g cream cheese", "50 g icing sugar"),
		Steps: []string{
			"Heat the oven to 180°C and line a 20 cm cake tin.",
			"Whisk the sugar, oil and eggs, then fold in the flour, spices and bicarbonate of soda.",
			"Stir in the carrots and walnuts, pour into the tin and bake for 45 minutes, until a skewer comes out clean.",
			"Beat the cream cheese with the icing sugar and spread over the cooled cake.",
		},
		PrepMinutes: minutes(25), CookMinutes: minutes(45), Servings: people(12),
	}
	pancakes = recipe.Input{
		Ingredients: lines("200 g plain flour", "2 tsp baking powder", "1 tbsp caster sugar", "pinch of salt",
			"300 ml milk", "1 egg", "25 g butter, melted", "150 g blueberries", "maple syrup, to serve"),
		Steps: []string{
			"Whisk the flour, baking powder, sugar and salt in a bowl.",
			"Beat in the milk, egg and melted butter to a thick batter, then fold in the blueberries.",
			"Heat a frying pan over a medium heat and cook the pancakes for 2 minutes on each side.",
			"Serve with maple syrup.",
		},
		PrepMinutes: minutes(10), CookMinutes: minutes(15), Servings: people(4),
	}
	stirFry = recipe.Input{
		Ingredients: lines("2 chicken breasts, sliced", "1 head broccoli, cut into florets", "1 red pepper, sliced",
			"2 cloves garlic, sliced", "thumb-sized piece of ginger, grated", "3 tbsp soy sauce", "1 tbsp honey",
			"1 tsp sesame oil", "1 tbsp vegetable oil", "250 g egg noodles"),
		Steps: []string{
			"Cook the noodles, drain and toss with the sesame oil.",
			"Heat the vegetable oil in a wok until smoking and stir-fry the chicken for 4 minutes.",
			"Add the broccoli, pepper, garlic and ginger and stir-fry for 3 minutes more.",
			"Stir in the soy sauce, honey and noodles and toss until hot.",
		},
		PrepMinutes: minutes(15), CookMinutes: minutes(10), Servings: people(2),
	}
	veganCurry = recipe.Input{
		Ingredients: lines("1 tbsp coconut oil", "1 onion, chopped", "3 cloves garlic, crushed",
			"thumb-sized piece of ginger, grated", "1 tbsp garam masala", "1 tsp ground turmeric", "1 tsp ground cumin",
			"2 x 400 g cans chickpeas, drained", "400 ml coconut milk", "200 g spinach", "juice of 1 lime",
			"fresh coriander, to serve"),
		Steps: []string{
			"Melt the coconut oil in a large pan and soften the onion for 8 minutes.",
			"Add the garlic, ginger and spices and cook for 1 minute.",
			"Stir in the chickpeas and coconut milk and simmer the curry for 20 minutes.",
			"Wilt in the spinach, add the lime juice and scatter over the coriander.",
		},
		PrepMinutes: minutes(10), CookMinutes: minutes(30), Servings: people(4),
	}
	bakedSalmon = recipe.Input{
		Ingredients: lines("4 salmon fillets", "2 tbsp olive oil", "1 lemon, sliced", "small bunch dill, chopped",
			"2 cloves garlic, crushed", "salt and pepper"),
		Steps: []string{
			"Heat the oven to 200°C.",
			"Put the salmon in a baking dish, drizzle with the oil and top with the lemon, dill and garlic.",
			"Bake for 12 to 15 minutes, until the fish flakes easily.",
		},
		PrepMinutes: minutes(5), CookMinutes: minutes(15), Servings: people(4),
	}
	caesarSalad = recipe.Input{
		Ingredients: lines("2 romaine lettuces", "2 slices sourdough bread, cubed", "3 tbsp olive oil",
			"50 g parmesan, grated", "4 anchovy fillets", "1 clove garlic", "1 egg yolk", "1 tsp Dijon mustard",
			"juice of ½ lemon"),
		Steps: []string{
			"Toss the bread with 1 tbsp of the oil and bake at 200°C for 10 minutes to make croutons.",
			"Mash the anchovies and garlic, then whisk in the egg yolk, mustard, lemon juice, the rest of the oil and half the parmesan to make a dressing.",
			"Toss the leaves with the dressing, croutons and remaining parmesan.",
		},
		PrepMinutes: minutes(15), CookMinutes: minutes(10), Servings: people(2),
	}
	whiteBread = recipe.Input{
		Ingredients: lines("500 g strong white bread flour", "7 g fast-action dried yeast", "10 g salt",
			"2 tbsp olive oil", "300 ml warm water"),
		Steps: []string{
			"Mix the flour, yeast and salt, then add the oil and water and mix to a soft dough.",
			"Knead for 10 minutes until smooth, then leave to rise for 1 hour.",
			"Shape, put in a loaf tin and prove for 45 minutes.",
			"Bake at 220°C for 30 minutes until the loaf sounds hollow when tapped.",
		},
		PrepMinutes: minutes(125), CookMinutes: minutes(30), Servings: people(1),
	}
	cookies = recipe.Input{
		Ingredients: lines("125 g butter, softened", "100 g light brown sugar", "75 g caster sugar", "1 egg",
			"1 tsp vanilla extract", "225 g plain flour", "½ tsp bicarbonate of soda", "200 g chocolate chips"),
		Steps: []string{
			"Heat the oven to 180°C and line two baking trays.",
			"Cream the butter and sugars, then beat in the egg and vanilla.",
			"Stir in the flour, bicarbonate of soda and chocolate chips.",
			"Roll into 16 balls, space out on the trays and bake for 10 minutes. Leave the cookies to cool on the trays.",
		},
		PrepMinutes: minutes(15), CookMinutes: minutes(10), Servings: people(16),
	}
	sausagePasta = recipe.Input{
		Ingredients: lines("400 g rigatoni", "6 pork sausages, skins removed", "1 onion, chopped",
			"2 cloves garlic, crushed", "1 tsp fennel seeds", "1 can chopped tomatoes", "100 ml red wine",
			"50 g parmesan, grated"),
		Steps: []string{
			"Fry the sausage meat and onion in a large pan until browned, breaking it up with a spoon.",
			"Add the garlic and fennel seeds, then the wine and tomatoes, and simmer for 15 minutes.",
			"Cook the rigatoni until al dente, then toss with the sauce and serve with the parmesan.",
		},
		PrepMinutes: minutes(10), CookMinutes: minutes(25), Servings: people(4),
	}
	stepsOnly = recipe.Input{
		Steps: []string{
			"Roast the tomatoes and garlic with a little olive oil for 30 minutes.",
			"Tip into a pan with the stock and simmer for 10 minutes, then blend into a smooth soup.",
			"Serve with crusty bread.",
		},
	}
	greekSalad = recipe.Input{
		Ingredients: lines("4 tomatoes, cut into wedges", "1 cucumber, sliced", "1 red onion, thinly sliced",
			"150 g feta", "100 g kalamata olives", "3 tbsp olive oil", "1 tsp dried oregano"),
		Steps:       []string{"Put the tomatoes, cucumber, onion and olives in a bowl, top with the feta, drizzle with the oil and sprinkle with oregano."},
		PrepMinutes: minutes(10), Servings: people(2),
	}
)

// testRecipes are the shared recipes by name, in a fixed order.
var testRecipes = []struct {
	name string
	in   recipe.Input
}{
	{"roast chicken", roastChicken}, {"lentil soup", lentilSoup}, {"carrot cake", carrotCake},
	{"pancakes", pancakes}, {"stir-fry", stirFry}, {"vegan curry", veganCurry}, {"salmon", bakedSalmon},
	{"caesar salad", caesarSalad}, {"bread", whiteBread}, {"cookies", cookies}, {"sausage pasta", sausagePasta},
	{"steps only", stepsOnly}, {"greek salad", greekSalad},
}
