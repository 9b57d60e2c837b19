package seed

import (
	"strconv"

	"github.com/reccollection/reccollection/internal/recipe"
)

// Synthetic data for scale benchmarks. Recipes are assembled from word lists
// (adjective × cuisine × main ingredient × dish type, sometimes "with …"),
// so titles, descriptions and ingredient lines vary widely and full-text
// search over a large corpus finds realistic numbers of matches. Ingredient
// lines come from pools of hand-written lines, so they exercise the same
// parsing as real input. Generation allocates little: most strings are shared
// from the tables below and the rest are built by plain concatenation.

// Dietary level of an ingredient pool: the highest level of everything a
// recipe may contain decides whether it is tagged vegan or vegetarian.
const (
	dietVegan = iota
	dietVegetarian
	dietMeat
)

type synMain struct {
	title string // in titles: "Black Bean"
	noun  string // in steps: "black beans"
	line  string // its ingredient line
	diet  int
	tag   string // tag for meat and fish; plant mains are tagged by diet
}

var synMains = []synMain{
	{"Chicken", "chicken", "600 g boneless chicken thighs, cut into bite-sized pieces", dietMeat, "chicken"},
	{"Chicken Breast", "chicken breasts", "2 large chicken breasts (about 400 g), sliced", dietMeat, "chicken"},
	{"Beef", "beef", "500 g beef sirloin, thinly sliced against the grain", dietMeat, "beef"},
	{"Short Rib", "short ribs", "1.5 kg bone-in beef short ribs", dietMeat, "beef"},
	{"Meatball", "meatballs", "500 g beef mince, rolled into 20 small meatballs", dietMeat, "beef"},
	{"Pork Belly", "pork belly", "800 g pork belly, skin scored, cut into 3 cm pieces", dietMeat, "pork"},
	{"Pork", "pork", "500 g pork shoulder, cut into 3 cm cubes", dietMeat, "pork"},
	{"Sausage", "sausages", "6 pork sausages, cut into chunks", dietMeat, "pork"},
	{"Chorizo", "chorizo", "200 g cooking chorizo, sliced", dietMeat, "pork"},
	{"Lamb", "lamb", "600 g boneless lamb shoulder, diced", dietMeat, "lamb"},
	{"Lamb Mince", "lamb mince", "500 g minced lamb", dietMeat, "lamb"},
	{"Duck", "duck", "2 duck breasts (about 350 g), skin scored", dietMeat, ""},
	{"Turkey", "turkey", "500 g turkey mince", dietMeat, ""},
	{"Salmon", "salmon", "4 salmon fillets (about 150 g each), skin on", dietMeat, "seafood"},
	{"Prawn", "prawns", "300 g raw king prawns, peeled and deveined", dietMeat, "seafood"},
	{"Cod", "cod", "4 (150 g) cod fillets", dietMeat, "seafood"},
	{"Mussel", "mussels", "1 kg mussels, scrubbed and debearded", dietMeat, "seafood"},
	{"Squid", "squid", "400 g cleaned squid, cut into rings", dietMeat, "seafood"},
	{"Tuna", "tuna", "2 fresh tuna steaks (about 300 g)", dietMeat, "seafood"},
	{"Tofu", "tofu", "400 g firm tofu, pressed and cut into cubes", dietVegan, ""},
	{"Tempeh", "tempeh", "250 g tempeh, sliced", dietVegan, ""},
	{"Chickpea", "chickpeas", "2 (400 g) cans chickpeas, drained and rinsed", dietVegan, ""},
	{"Lentil", "lentils", "250 g red lentils, rinsed", dietVegan, ""},
	{"Black Bean", "black beans", "2 (15 oz) cans black beans, drained", dietVegan, ""},
	{"White Bean", "white beans", "1 (400 g) can cannellini beans, drained", dietVegan, ""},
	{"Mushroom", "mushrooms", "500 g mixed mushrooms, sliced", dietVegan, ""},
	{"Aubergine", "aubergine", "2 large aubergines, cut into 2 cm chunks", dietVegan, ""},
	{"Cauliflower", "cauliflower", "1 large cauliflower, cut into florets", dietVegan, ""},
	{"Sweet Potato", "sweet potatoes", "2 medium sweet potatoes (about 600 g), peeled and cubed", dietVegan, ""},
	{"Butternut Squash", "squash", "1 butternut squash (about 1 kg), peeled and cut into chunks", dietVegan, ""},
	{"Pumpkin", "pumpkin", "750 g pumpkin, peeled and cut into wedges", dietVegan, ""},
	{"Spinach", "spinach", "300 g baby spinach", dietVegan, ""},
	{"Kale", "kale", "200 g kale, stems removed, leaves torn", dietVegan, ""},
	{"Courgette", "courgettes", "3 courgettes, halved and sliced", dietVegan, ""},
	{"Potato", "potatoes", "1 kg waxy potatoes, cut into chunks", dietVegan, ""},
	{"Broccoli", "broccoli", "2 heads broccoli, cut into florets", dietVegan, ""},
	{"Leek", "leeks", "3 leeks, trimmed and sliced", dietVegan, ""},
	{"Beetroot", "beetroot", "4 medium beetroot, peeled and cut into wedges", dietVegan, ""},
	{"Sweetcorn", "sweetcorn", "4 corn cobs, kernels cut off", dietVegan, ""},
	{"Carrot", "carrots", "6 carrots, cut into batons", dietVegan, ""},
	{"Halloumi", "halloumi", "250 g halloumi, sliced", dietVegetarian, ""},
	{"Paneer", "paneer", "400 g paneer, cut into 2 cm cubes", dietVegetarian, ""},
	{"Feta", "feta", "200 g feta, broken into chunks", dietVegetarian, ""},
}

// Cooking methods decide the main step's wording and the range of cook times.
const (
	mSimmer = iota
	mStirFry
	mRoast
	mBake
	mGrill
	mPan
	mToss
	mFry
	mSteam
	mCount
)

type synMethod struct {
	lo, hi    int // cook minutes, multiples of 5
	pre, post string
}

var synMethods = [mCount]synMethod{
	mSimmer:  {20, 180, "Add the <main> and enough water or stock to just cover, bring to a simmer and cook gently for ", ", stirring now and then, until everything is tender and the sauce has thickened."},
	mStirFry: {5, 20, "Turn the heat up high, add the <main> and stir-fry for ", ", tossing constantly, until just cooked and lightly charred."},
	mRoast:   {25, 90, "Spread the <main> over a large roasting tin, toss with the oil and seasonings and roast at 200 °C (180 °C fan) for ", ", turning halfway, until golden at the edges."},
	mBake:    {25, 75, "Transfer the <main> and sauce to a baking dish and bake at 190 °C (170 °C fan) for ", " until golden and bubbling."},
	mGrill:   {10, 30, "Cook the <main> over a hot grill or on a griddle pan for ", ", turning regularly, until charred in places and cooked through."},
	mPan:     {5, 25, "Fry the <main> in a hot, lightly oiled pan for ", ", turning once, until golden on both sides."},
	mToss:    {5, 15, "Sear the <main> in a very hot pan for ", " until browned, then toss with the remaining ingredients and the dressing in a large bowl."},
	mFry:     {10, 30, "Mix the <main> into the batter, then fry spoonfuls in 2 cm of hot oil, in batches, for ", " until crisp and golden. Drain on kitchen paper."},
	mSteam:   {10, 30, "Arrange the <main> in a lined steamer basket and steam over boiling water for ", " until cooked through."},
}

type synDish struct {
	title      string
	lower      string
	method     int
	lines      [2]string
	diet       int
	categories []string
	tag        string
}

var synDishes = []synDish{
	{"Curry", "curry", mSimmer, [2]string{"1 (400 ml) can coconut milk", "1 (400 g) can chopped tomatoes"}, dietVegan, []string{"dinner"}, ""},
	{"Stew", "stew", mSimmer, [2]string{"2 (400 g) cans chopped tomatoes", "750 ml vegetable stock"}, dietVegan, []string{"dinner"}, "comfort-food"},
	{"Soup", "soup", mSimmer, [2]string{"1.2 litres vegetable stock", "1 potato, peeled and diced"}, dietVegan, []string{"soup", "lunch"}, ""},
	{"Chowder", "chowder", mSimmer, [2]string{"750 ml whole milk", "2 medium potatoes, diced"}, dietVegetarian, []string{"soup", "dinner"}, "comfort-food"},
	{"Salad", "salad", mToss, [2]string{"2 little gem lettuces, leaves separated", "3 tbsp extra-virgin olive oil"}, dietVegan, []string{"salad", "lunch"}, "healthy"},
	{"Stir-Fry", "stir-fry", mStirFry, [2]string{"200 g tenderstem broccoli", "1 tbsp cornflour mixed with 2 tbsp water"}, dietVegan, []string{"dinner"}, "weeknight"},
	{"Noodles", "noodles", mStirFry, [2]string{"250 g dried egg noodles", "100 g beansprouts"}, dietVegetarian, []string{"dinner", "lunch"}, "noodles"},
	{"Tacos", "tacos", mPan, [2]string{"8 small corn tortillas, warmed", "¼ red cabbage, finely shredded"}, dietVegan, []string{"dinner"}, "street-food"},
	{"Skewers", "skewers", mGrill, [2]string{"8 wooden skewers, soaked in water for 30 minutes", "1 red onion, cut into wedges"}, dietVegan, []string{"dinner", "snack"}, "grilling"},
	{"Traybake", "traybake", mRoast, [2]string{"500 g baby potatoes, halved", "2 red onions, cut into wedges"}, dietVegan, []string{"dinner"}, "one-pot"},
	{"Pie", "pie", mBake, [2]string{"1 (320 g) sheet ready-rolled puff pastry", "1 egg, beaten, to glaze"}, dietVegetarian, []string{"dinner", "baking"}, "comfort-food"},
	{"Tart", "tart", mBake, [2]string{"1 (320 g) sheet ready-rolled shortcrust pastry", "3 large eggs beaten with 200 ml double cream"}, dietVegetarian, []string{"baking", "lunch"}, ""},
	{"Risotto", "risotto", mSimmer, [2]string{"300 g arborio rice", "1 litre hot vegetable stock"}, dietVegan, []string{"dinner"}, "rice"},
	{"Pilaf", "pilaf", mSimmer, [2]string{"300 g basmati rice, rinsed", "600 ml hot vegetable stock"}, dietVegan, []string{"dinner", "side"}, "rice"},
	{"Pasta", "pasta", mSimmer, [2]string{"400 g dried pasta, such as penne or rigatoni", "40 g parmesan, finely grated"}, dietVegetarian, []string{"dinner"}, "pasta"},
	{"Ragù", "ragù", mSimmer, [2]string{"2 (400 g) cans chopped tomatoes", "150 ml red wine"}, dietVegan, []string{"sauce", "dinner"}, "slow-cooked"},
	{"Rice Bowl", "rice bowl", mPan, [2]string{"300 g jasmine rice", "1 cucumber, thinly sliced"}, dietVegan, []string{"lunch", "dinner"}, "rice"},
	{"Grain Bowl", "grain bowl", mRoast, [2]string{"200 g quinoa, rinsed", "1 avocado, sliced"}, dietVegan, []string{"lunch"}, "healthy"},
	{"Wraps", "wraps", mPan, [2]string{"4 large flour tortillas", "150 g Greek yogurt"}, dietVegetarian, []string{"lunch"}, ""},
	{"Flatbreads", "flatbreads", mGrill, [2]string{"4 flatbreads or naan", "100 g hummus"}, dietVegan, []string{"lunch", "snack"}, "street-food"},
	{"Sandwiches", "sandwiches", mPan, [2]string{"8 slices sourdough bread", "2 tbsp mayonnaise"}, dietVegetarian, []string{"lunch"}, ""},
	{"Fritters", "fritters", mFry, [2]string{"100 g plain flour", "2 eggs, beaten"}, dietVegetarian, []string{"snack", "side"}, ""},
	{"Burgers", "burgers", mGrill, [2]string{"4 brioche buns, split and toasted", "4 slices cheddar"}, dietVegetarian, []string{"dinner"}, "grilling"},
	{"Casserole", "casserole", mBake, [2]string{"400 ml hot vegetable stock", "2 tbsp plain flour"}, dietVegan, []string{"dinner"}, "comfort-food"},
	{"Gratin", "gratin", mBake, [2]string{"300 ml double cream", "75 g Gruyère, grated"}, dietVegetarian, []string{"side", "dinner"}, ""},
	{"Frittata", "frittata", mPan, [2]string{"8 large eggs, beaten", "50 g cheddar, grated"}, dietVegetarian, []string{"breakfast", "lunch"}, "eggs"},
	{"Hash", "hash", mPan, [2]string{"750 g potatoes, cut into 2 cm cubes", "4 eggs, to serve"}, dietVegetarian, []string{"breakfast"}, "brunch"},
	{"Dumplings", "dumplings", mSteam, [2]string{"30 round dumpling wrappers", "1 tbsp cornflour"}, dietVegan, []string{"snack", "dinner"}, ""},
	{"Braise", "braise", mSimmer, [2]string{"250 ml dry white wine", "2 bay leaves"}, dietVegan, []string{"dinner"}, "slow-cooked"},
	{"Tagine", "tagine", mSimmer, [2]string{"400 ml hot vegetable stock", "50 g green olives"}, dietVegan, []string{"dinner"}, "slow-cooked"},
	{"Bake", "bake", mBake, [2]string{"1 (400 g) can chopped tomatoes", "125 g mozzarella, torn"}, dietVegetarian, []string{"dinner"}, ""},
	{"Kebabs", "kebabs", mGrill, [2]string{"1 tsp sweet paprika", "4 pitta breads, warmed"}, dietVegan, []string{"dinner"}, "street-food"},
}

type synCuisine struct {
	name    string
	lines   [6]string
	flavour string // names lines[0:3]; "the <flavour>" reads naturally in a step
	serve   string
	diet    int
	spicy   bool
}

var synCuisines = []synCuisine{
	{"Italian", [6]string{"½ tsp chilli flakes", "1 tsp dried oregano", "1 tbsp capers, rinsed", "1 tbsp tomato paste", "2 tbsp balsamic vinegar", "a handful of basil leaves"}, "chilli flakes, oregano and capers", "crusty bread and a green salad", dietVegan, false},
	{"Thai", [6]string{"3 tbsp red curry paste", "2 stalks lemongrass, bruised", "4 kaffir lime leaves", "2 tbsp fish sauce", "juice of 1 lime", "a handful of Thai basil"}, "red curry paste, lemongrass and lime leaves", "steamed jasmine rice", dietMeat, true},
	{"Indian", [6]string{"1 tsp cumin seeds", "½ tsp ground turmeric", "1½ tsp garam masala", "1 tbsp ginger-garlic paste", "1 green chilli, slit lengthways", "2 tbsp ghee"}, "cumin, turmeric and garam masala", "basmati rice and warm naan", dietVegetarian, true},
	{"Mexican", [6]string{"1 tsp ground cumin", "2 chipotle chillies in adobo, chopped", "1 tsp dried Mexican oregano", "juice of 2 limes", "a handful of coriander, chopped", "1 avocado, sliced, to serve"}, "cumin, chipotle and oregano", "lime wedges and warm tortillas", dietVegan, true},
	{"Japanese", [6]string{"3 tbsp soy sauce", "2 tbsp mirin", "1 tbsp white miso", "1 tbsp sake", "1 tsp toasted sesame seeds", "2 spring onions, thinly sliced"}, "soy sauce, mirin and miso", "short-grain rice and pickles", dietVegan, false},
	{"Sichuan", [6]string{"2 tbsp doubanjiang (chilli bean paste)", "1 tsp Sichuan peppercorns, toasted and ground", "2 tbsp light soy sauce", "1 tbsp Shaoxing wine", "1 tbsp Chinkiang black vinegar", "1 tsp sesame oil"}, "chilli bean paste, Sichuan pepper and soy sauce", "steamed rice", dietVegan, true},
	{"Cantonese", [6]string{"2.5 cm piece ginger, cut into matchsticks", "2 tbsp oyster sauce", "1 tbsp Shaoxing wine", "1 tbsp light soy sauce", "1 tsp sugar", "3 spring onions, cut into 3 cm lengths"}, "ginger, oyster sauce and Shaoxing wine", "steamed rice and greens", dietMeat, false},
	{"Korean", [6]string{"2 tbsp gochujang", "1 tbsp gochugaru (Korean chilli flakes)", "2 tbsp soy sauce", "1 tbsp toasted sesame oil", "100 g kimchi, chopped", "1 tsp sugar"}, "gochujang, gochugaru and soy sauce", "steamed rice and kimchi", dietMeat, true},
	{"Vietnamese", [6]string{"1 stalk lemongrass, finely chopped", "2 tbsp fish sauce", "1 red chilli, sliced", "juice of 2 limes", "a handful of mint leaves", "1 tbsp light brown sugar"}, "lemongrass, fish sauce and chilli", "rice noodles and fresh herbs", dietMeat, true},
	{"French", [6]string{"1 tbsp chopped tarragon", "2 sprigs thyme", "1 tbsp Dijon mustard", "150 ml dry white wine", "30 g butter", "100 ml crème fraîche"}, "tarragon, thyme and mustard", "buttered new potatoes", dietVegetarian, false},
	{"Middle Eastern", [6]string{"2 tsp ground cumin", "1 tsp sumac", "1 tbsp pomegranate molasses", "3 tbsp tahini", "a handful of flat-leaf parsley, chopped", "½ preserved lemon, finely chopped"}, "cumin, sumac and pomegranate molasses", "warm flatbreads and a tahini drizzle", dietVegan, false},
	{"Moroccan", [6]string{"1 tsp ras el hanout", "½ tsp ground cinnamon", "1 tbsp harissa", "50 g dried apricots, chopped", "a handful of coriander leaves", "1 tsp ground ginger"}, "ras el hanout, cinnamon and harissa", "fluffy couscous", dietVegan, true},
	{"Greek", [6]string{"1 tsp dried oregano", "a handful of dill, chopped", "juice of 1 lemon", "100 g feta, crumbled", "12 Kalamata olives, pitted", "2 tbsp red wine vinegar"}, "oregano, dill and lemon juice", "warm pitta and tzatziki", dietVegetarian, false},
	{"Spanish", [6]string{"1 tsp smoked paprika", "a pinch of saffron threads", "100 ml dry sherry", "2 roasted red peppers from a jar, sliced", "a handful of parsley, chopped", "50 g toasted almonds, chopped"}, "smoked paprika, saffron and sherry", "crusty bread", dietVegan, false},
	{"Southern", [6]string{"1 tbsp smoked paprika", "½ tsp cayenne pepper", "120 ml barbecue sauce", "2 tbsp brown sugar", "1 tbsp Worcestershire sauce", "1 tsp garlic powder"}, "smoked paprika, cayenne and barbecue sauce", "coleslaw and cornbread", dietMeat, false},
	{"British", [6]string{"1 tbsp English mustard", "2 sprigs thyme", "300 ml ale", "2 tbsp Worcestershire sauce", "30 g butter", "1 tbsp plain flour"}, "mustard, thyme and ale", "mash and buttered peas", dietMeat, false},
	{"Caribbean", [6]string{"1 tsp ground allspice", "4 sprigs thyme", "1 Scotch bonnet chilli, pierced", "1 (400 g) can kidney beans, drained", "3 spring onions, sliced", "juice of 1 lime"}, "allspice, thyme and Scotch bonnet", "rice and peas", dietVegan, true},
	{"Ethiopian", [6]string{"2 tbsp berbere spice blend", "2 tbsp niter kibbeh or butter", "1 tsp ground fenugreek", "2 tbsp tomato paste", "1 tsp ground cardamom", "2.5 cm piece ginger, grated"}, "berbere, spiced butter and fenugreek", "injera or flatbread", dietVegetarian, true},
	{"Peruvian", [6]string{"2 tbsp aji amarillo paste", "1 tsp ground cumin", "1 tsp dried oregano", "juice of 3 limes", "a handful of coriander, chopped", "1 tbsp red wine vinegar"}, "aji amarillo, cumin and oregano", "white rice and salsa criolla", dietVegan, true},
	{"Turkish", [6]string{"1 tbsp red pepper paste", "1 tbsp pul biber (Aleppo pepper)", "1 tsp dried mint", "200 g Greek yogurt", "1 tsp sumac", "1 tsp ground cumin"}, "pepper paste, pul biber and dried mint", "bulgur pilaf and garlic yogurt", dietVegetarian, true},
	{"Indonesian", [6]string{"2 tbsp kecap manis", "1 tbsp sambal oelek", "3 tbsp crushed roasted peanuts", "2 candlenuts or macadamias, crushed", "½ tsp ground turmeric", "juice of 1 lime"}, "kecap manis, sambal and peanuts", "steamed rice and crispy shallots", dietVegan, true},
	{"Scandinavian", [6]string{"a small bunch of dill, chopped", "1 tbsp wholegrain mustard", "1 tsp caraway seeds", "100 ml soured cream", "2 tbsp pickled cucumber, chopped", "1 tbsp cider vinegar"}, "dill, mustard and caraway", "boiled new potatoes and rye bread", dietVegetarian, false},
}

type synAdjective struct {
	word string
	tag  string // a tag the word implies, if any
}

var synAdjectives = []synAdjective{
	{"Smoky", ""}, {"Crispy", ""}, {"Spicy", "spicy"},
	{"Zesty", ""}, {"Herby", ""}, {"Creamy", ""},
	{"Sticky", ""}, {"Golden", ""}, {"Rustic", ""},
	{"Charred", ""}, {"Easy", ""}, {"Quick", ""},
	{"Rich", "comfort-food"}, {"Roasted", ""},
	{"Garlicky", ""}, {"Tangy", ""},
	{"Sweet and Sour", ""}, {"Fiery", "spicy"},
	{"Hearty", "comfort-food"}, {"Light", "healthy"},
	{"Maple-Glazed", ""}, {"Lemony", ""},
	{"Peppery", ""}, {"Coconut", ""}, {"Ginger", ""},
	{"Chilli", "spicy"}, {"Summer", "summer"},
	{"Winter", "comfort-food"}, {"Weeknight", "weeknight"},
	{"Sunday", "comfort-food"}, {"Grandma's", "classic"},
	{"Fragrant", ""}, {"Sesame", ""}, {"Silky", ""},
	{"Miso-Glazed", ""}, {"Lime", ""},
	{"Five-Spice", ""}, {"Pan-Roasted", ""},
	{"Street-Style", "street-food"}, {"Speedy", ""},
}

var synSuffixes = []string{
	"Lime and Coriander", "Crispy Shallots", "Garlic Yogurt", "Pickled Red Onions",
	"a Herb Salad", "Toasted Almonds", "Jasmine Rice", "Warm Flatbreads",
	"Sesame Greens", "Chilli Oil", "Salsa Verde", "Lemon and Capers",
	"Charred Spring Onions", "Roasted Tomatoes", "Crunchy Slaw", "Pomegranate",
	"Peanut Sauce", "Parmesan Crumbs", "Sweet Potato Mash", "Quick Pickles",
	"Tahini Dressing", "Gremolata",
}

var synOils = []string{"2 tbsp vegetable oil", "2 tbsp olive oil", "1½ tbsp rapeseed oil", "3 tbsp olive oil, divided"}
var synOnions = []string{"1 large onion, finely chopped", "1 red onion, sliced", "2 shallots, finely chopped", "1 onion, diced"}
var synGarlics = []string{"3 cloves garlic, minced", "2-3 cloves garlic, crushed", "4 garlic cloves, thinly sliced", "1 clove garlic, grated"}
var synExtras = []string{
	"1 tsp fennel seeds", "1 red pepper, sliced", "2 carrots, diced",
	"2 celery sticks, chopped", "1 tsp ground coriander", "1 tsp mustard seeds",
	"1 sprig rosemary", "200 g cherry tomatoes, halved", "100 g frozen peas",
	"1 tsp maple syrup",
}
var synFinishes = []string{
	"salt and pepper to taste", "salt to taste", "a handful of fresh herbs, chopped, to serve",
	"1 lemon, cut into wedges", "freshly ground black pepper", "a pinch of flaky sea salt",
}

var synDescriptionTails = []string{
	"", " A reliable weeknight standby.", " Good for meal prep and even better the next day.",
	" Doubles easily for a crowd.", " A family favourite on busy evenings.",
	" Use whatever vegetables you have to hand.", " Adjust the heat to taste.",
	" Leftovers keep for three days in the fridge.", " Great for a weekend lunch.",
	" Easy to scale up or down.",
}

var synPrepSteps = [3][2]string{
	{"Pat the ", " dry, season well with salt and pepper and set aside while you prepare everything else."},
	{"Prepare and measure all the ingredients before you start, keeping the ", " separate from the rest."},
	{"Toss the ", " with a good pinch of salt and a little of the oil and leave for 10 minutes."},
}
var synBaseSteps = []string{
	"Heat the oil in a large pan over medium heat and cook the onion for 8–10 minutes until soft and lightly golden, adding the garlic for the last minute.",
	"Warm the oil in a heavy casserole, add the onion and garlic with a pinch of salt and cook gently for 10 minutes until softened.",
	"Heat half the oil in a wide frying pan and soften the onion for 5–6 minutes, then stir in the garlic and cook for 1 minute more.",
}
var synFlavourSteps = [3][2]string{
	{"Stir in the ", " and cook for 1–2 minutes until fragrant."},
	{"Add the ", ", stir well to coat everything and cook for a minute or two."},
	{"Mix the ", " with a splash of water and stir it into the pan."},
}
var synFinishSteps = []string{
	"Taste and adjust the seasoning with salt, pepper and a squeeze of lemon or lime.",
	"Take the pan off the heat and leave to rest for 5 minutes so the flavours settle.",
	"Scatter over any fresh herbs you have to hand.",
	"If the sauce is too thick, loosen it with a splash of water; if too thin, let it bubble for a few minutes more.",
}
var synServeSteps = [3][2]string{
	{"Serve hot with ", "."},
	{"Divide between plates or bowls and serve with ", "."},
	{"Bring to the table with ", " on the side."},
}

// synNeutralTags are tags that are true of any dish or are a matter of
// opinion, so random ones never contradict the ingredients.
var synNeutralTags = []string{
	"make-ahead", "budget", "healthy", "comfort-food", "kid-friendly",
	"party", "holiday", "summer", "classic", "weeknight",
}

var synPrepMinutes = []int{5, 10, 10, 15, 15, 15, 20, 20, 25, 30, 30, 40, 45, 60, 90}
var synServings = []int{0, 1, 2, 2, 4, 4, 4, 4, 6, 6, 8, 10, 12}

// Duration texts for 0..maxSynMinutes, built once so the hot path
// concatenates instead of formatting.
const maxSynMinutes = 240

var synDurations [maxSynMinutes + 1]string

var synFirstNames = []string{
	"Alex", "Sam", "Priya", "Tomás", "Mei", "Olu", "Fatima", "Jonas", "Aiko", "Liam",
	"Sofia", "Kwame", "Elena", "Ravi", "Noor", "Mateo", "Ingrid", "Chen", "Amara", "Yusuf",
	"Hana", "Diego", "Freya", "Kofi", "Leila", "Nikos", "Rosa", "Tariq", "Zoe", "Bruno",
}
var synLastNames = []string{
	"Smith", "Okafor", "Nguyen", "García", "Kowalski", "Haddad", "Tanaka", "Jensen",
	"Rossi", "Patel", "Murphy", "Schmidt", "Silva", "Kim", "Dubois", "Ahmed", "Larsen",
	"Mensah", "Novak", "Costa", "Fischer", "Ito", "Reyes", "Walsh", "Yilmaz",
}
var synBioTemplates = [4][2]string{
	{"Home cook who mostly makes ", " food for a hungry household."},
	{"Learning to cook ", " dishes one recipe at a time."},
	{"Weekend cook, weekday eater. Currently obsessed with ", " cooking."},
	{"Collecting the ", " recipes my family grew up with."},
}

func init() {
	for m := range synDurations {
		synDurations[m] = durationText(m)
	}
}

// durationText renders a number of minutes the way a recipe would:
// "1 minute", "45 minutes", "2 hours", "2½ hours".
func durationText(m int) string {
	switch {
	case m == 1:
		return "1 minute"
	case m >= 90 && m%60 == 0:
		return strconv.Itoa(m/60) + " hours"
	case m >= 90 && m%60 == 30:
		return strconv.Itoa(m/60) + "½ hours"
	default:
		return strconv.Itoa(m) + " minutes"
	}
}

// synRand is a splitmix64 generator: tiny, fast, allocation-free and good
// enough for picking words.
type synRand struct{ s uint64 }

func (r *synRand) next() uint64 {
	r.s += 0x9E3779B97F4A7C15
	z := r.s
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9
	z = (z ^ (z >> 27)) * 0x94D049BB133111EB
	return z ^ (z >> 31)
}

// intn returns a number in [0, n). The modulo bias is irrelevant here.
func (r *synRand) intn(n int) int { return int(r.next() % uint64(n)) }

func newSynRand(seed int64, i int) synRand {
	r := synRand{s: uint64(seed)}
	r.s = r.next() ^ (uint64(i) * 0xD1B54A32D192ED03)
	r.next()
	return r
}

// replaceMain substitutes "<main>" in a method template; templates hold it
// exactly once.
func replaceMain(tmpl, noun string) string {
	for k := 0; k+6 <= len(tmpl); k++ {
		if tmpl[k:k+6] == "<main>" {
			return tmpl[:k] + noun + tmpl[k+6:]
		}
	}
	return tmpl
}

// Positions in a synthetic recipe's ingredient pool.
const (
	poolOil = iota
	poolOnion
	poolGarlic
	poolExtra
	poolMain
	poolDish                   // two lines
	poolCuisine = poolDish + 2 // six lines
	poolFinish  = poolCuisine + 6
	poolSize    = poolFinish + 1
)

// SyntheticRecipe returns the i-th synthetic recipe of a generator seeded
// with seed; the same (seed, i) always gives the same recipe, and different
// i give different recipes. Author is left empty for the caller to assign.
// It is safe for concurrent use.
func SyntheticRecipe(seed int64, i int) DemoRecipe {
	r := newSynRand(seed, i)

	mn := &synMains[r.intn(len(synMains))]
	dish := &synDishes[r.intn(len(synDishes))]
	cui := &synCuisines[r.intn(len(synCuisines))]
	adj := &synAdjectives[r.intn(len(synAdjectives))]
	method := &synMethods[dish.method]

	// Title: a few shapes so not every title has four words.
	var title string
	switch r.intn(6) {
	case 0:
		title = cui.name + " " + mn.title + " " + dish.title
	case 1:
		title = adj.word + " " + mn.title + " " + dish.title
	default:
		title = adj.word + " " + cui.name + " " + mn.title + " " + dish.title
	}
	if r.intn(5) < 2 {
		title += " with " + synSuffixes[r.intn(len(synSuffixes))]
	}

	// Times, servings, difficulty, visibility.
	prep := synPrepMinutes[r.intn(len(synPrepMinutes))]
	cook := method.lo + 5*r.intn((method.hi-method.lo)/5+1)
	stepCook := cook
	if r.intn(20) == 0 { // times not stated
		prep, cook = 0, 0
	}
	servings := synServings[r.intn(len(synServings))]
	var difficulty recipe.Difficulty
	switch d := r.intn(20); {
	case d < 9:
		difficulty = recipe.Easy
	case d < 15:
		difficulty = recipe.Medium
	case d < 19:
		difficulty = recipe.Hard
	}
	visibility := recipe.Public
	switch r.intn(10) {
	case 8:
		visibility = recipe.Unlisted
	case 9:
		visibility = recipe.Private
	}
	// A draw that once gave the age (Synthetic now writes recipes in time
	// order): kept, so that every later field of recipe i stays the same.
	r.intn(1501)

	// Steps: the main cooking step and serving are always there; 1–4 of
	// the optional ones are added, in a sensible order.
	ns := 3 + r.intn(4) // 3..6
	optional := r.intn(16)
	for bitsOn(optional) != ns-2 {
		optional = (optional + 1) & 15
	}
	// needs marks the ingredient-pool lines the chosen steps mention.
	var needs uint32
	stepList := make([]string, 0, ns)
	if optional&1 != 0 {
		k := r.intn(len(synPrepSteps))
		if k == 2 { // "a little of the oil"
			needs |= 1 << poolOil
		}
		p := synPrepSteps[k]
		stepList = append(stepList, p[0]+mn.noun+p[1])
	}
	if optional&2 != 0 {
		needs |= 1<<poolOil | 1<<poolOnion | 1<<poolGarlic
		stepList = append(stepList, synBaseSteps[r.intn(len(synBaseSteps))])
	}
	if optional&4 != 0 {
		needs |= 7 << poolCuisine
		f := synFlavourSteps[r.intn(len(synFlavourSteps))]
		stepList = append(stepList, f[0]+cui.flavour+f[1])
	}
	if dish.method == mRoast {
		needs |= 1 << poolOil
	}
	stepList = append(stepList, replaceMain(method.pre, mn.noun)+synDurations[stepCook]+method.post)
	if optional&8 != 0 {
		stepList = append(stepList, synFinishSteps[r.intn(len(synFinishSteps))])
	}
	sv := synServeSteps[r.intn(len(synServeSteps))]
	stepList = append(stepList, sv[0]+cui.serve+sv[1])

	// Ingredients: a pool in natural order (fat, aromatics, main, dish,
	// flavourings, finishing). The main and whatever the steps mention are
	// always used; the rest is filled up at random to 4–12 lines.
	var pool [poolSize]string
	pool[poolOil] = synOils[r.intn(len(synOils))]
	pool[poolOnion] = synOnions[r.intn(len(synOnions))]
	pool[poolGarlic] = synGarlics[r.intn(len(synGarlics))]
	pool[poolExtra] = synExtras[r.intn(len(synExtras))]
	pool[poolMain] = mn.line
	pool[poolDish], pool[poolDish+1] = dish.lines[0], dish.lines[1]
	copy(pool[poolCuisine:], cui.lines[:])
	pool[poolFinish] = synFinishes[r.intn(len(synFinishes))]

	chosen := needs | 1<<poolMain
	picked := bitsOn(int(chosen))
	n := max(4+r.intn(9), picked) // 4..12 lines
	for picked < n {
		k := r.intn(poolSize)
		if chosen&(1<<k) == 0 {
			chosen |= 1 << k
			picked++
		}
	}
	ingredients := make([]string, 0, n)
	for k := range poolSize {
		if chosen&(1<<k) != 0 {
			ingredients = append(ingredients, pool[k])
		}
	}

	// Tags: implied ones first, then neutral ones, 1–4 distinct in all.
	nt := 1 + r.intn(4)
	tags := make([]string, 0, nt)
	add := func(t string) {
		if t == "" || len(tags) == nt {
			return
		}
		for _, have := range tags {
			if have == t {
				return
			}
		}
		tags = append(tags, t)
	}
	diet := max(mn.diet, dish.diet, cui.diet)
	switch {
	case mn.tag != "":
		add(mn.tag)
	case diet == dietVegan:
		add("vegan")
	case diet == dietVegetarian:
		add("vegetarian")
	}
	add(dish.tag)
	add(adj.tag)
	if cui.spicy && r.intn(2) == 0 {
		add("spicy")
	}
	if total := prep + cook; total > 0 && total <= 30 {
		add("quick")
	}
	for guard := 0; len(tags) < nt && guard < 16; guard++ {
		add(synNeutralTags[r.intn(len(synNeutralTags))])
	}

	nc := min(r.intn(3), len(dish.categories)) // 0..2
	var cats []string
	if nc > 0 {
		cats = append(make([]string, 0, nc), dish.categories[:nc]...) // callers may modify it
	}

	desc := cui.name + "-inspired " + dish.lower + " with " + mn.noun +
		", flavoured with " + cui.flavour + "." +
		synDescriptionTails[r.intn(len(synDescriptionTails))]

	return DemoRecipe{
		Title:       title,
		Description: desc,
		PrepMinutes: prep,
		CookMinutes: cook,
		Servings:    servings,
		Difficulty:  difficulty,
		Visibility:  visibility,
		Ingredients: ingredients,
		Steps:       stepList,
		Tags:        tags,
		Categories:  cats,
	}
}

func bitsOn(x int) int {
	n := 0
	for ; x != 0; x &= x - 1 {
		n++
	}
	return n
}

// SyntheticUser returns the i-th synthetic account: username "cook00001"
// for i = 1, email cook00001@example.test. Synthetic users are never admins
// and log in with DemoPassword.
func SyntheticUser(i int) DemoUser {
	num := strconv.Itoa(i)
	if len(num) < 5 {
		num = "00000"[len(num):] + num
	}
	username := "cook" + num
	u := uint(i)
	first := synFirstNames[u%uint(len(synFirstNames))]
	last := synLastNames[(u/uint(len(synFirstNames)))%uint(len(synLastNames))]
	bio := synBioTemplates[u%uint(len(synBioTemplates))]
	cuisine := synCuisines[(u/3)%uint(len(synCuisines))].name
	return DemoUser{
		Username:    username,
		Email:       username + "@example.test",
		DisplayName: first + " " + last,
		Bio:         bio[0] + cuisine + bio[1],
	}
}
