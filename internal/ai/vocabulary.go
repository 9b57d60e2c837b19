package ai

// The ingredient vocabulary: the words of ingredient lists the offline
// generator understands, and what each says about a dish.
//
// Phrases are lower case, in the singular (a line's words are matched in
// either number), with hyphens and apostrophes written as spaces
// ("sun dried tomato", "goat s cheese"). When phrases overlap the longest
// wins, which is how "butter beans", "peanut butter" and "vegetable stock"
// escape the diet rules of "butter" and "stock": every phrase that would
// otherwise be misread needs its own line here.
//
// Diet marks err on the side of claiming less: a vegetarian tag on a dish
// with fish sauce does harm, a missing one does not. Cheeses traditionally
// made with animal rennet (Parmesan, pecorino, Gruyère) are marked so, and
// anything often made with meat or dairy (stock, sausages, chocolate) is
// marked until the line says otherwise.

var ingredients = newVocabulary([]group{
	// Qualifiers.
	{role: roleQualifier, title: "vegan", clears: notVegan,
		phrases: "vegan, plant based, plant"},
	// What is sold as vegetarian may still hold eggs or milk.
	{role: roleQualifier, title: "vegetarian", clears: notVegetarian, diet: dairy | egg,
		phrases: "vegetarian, veggie, meat free, meatless"},
	{role: roleQualifier, title: "dairy-free", clears: dairy, phrases: "dairy free, non dairy"},
	{role: roleQualifier, title: "egg-free", clears: egg, phrases: "egg free"},

	// Poultry.
	{role: roleProtein, class: "chicken", title: "chicken", diet: meat,
		phrases: "chicken, chicken thigh, chicken breast, chicken leg, chicken drumstick, drumstick, " +
			"chicken wing, chicken fillet, chicken tender, chicken piece, chicken mince, minced chicken, poussin"},
	{role: roleProtein, class: "chicken", title: "chicken", diet: meat, each: 1500,
		phrases: "whole chicken, roasting chicken"},
	{role: roleProtein, class: "chicken", title: "chicken liver", diet: meat, each: 30, phrases: "chicken liver"},
	{role: roleProtein, class: "chicken", title: "sausage", diet: meat, each: 65, count: true, phrases: "chicken sausage"},
	{role: roleProtein, class: "turkey", title: "turkey", diet: meat,
		phrases: "turkey, turkey breast, turkey thigh, turkey mince, minced turkey, turkey steak"},
	{role: roleProtein, class: "duck", title: "duck", diet: meat,
		phrases: "duck, duck breast, duck leg"},

	// Beef and veal.
	{role: roleProtein, class: "beef", title: "beef", diet: meat,
		phrases: "beef, beef mince, minced beef, ground beef, stewing beef, braising beef, diced beef, " +
			"braising steak, chuck steak, beef chuck, topside, silverside"},
	{role: roleProtein, class: "beef", title: "steak", diet: meat, each: 250,
		phrases: "steak, sirloin, sirloin steak, ribeye, ribeye steak, rib eye steak, fillet steak, " +
			"rump steak, flank steak, skirt steak, bavette, t bone steak, beef steak"},
	{role: roleProtein, class: "beef", diet: meat, each: 300,
		phrases: "brisket, beef brisket, oxtail, short rib, beef short rib, beef cheek"},
	{role: roleProtein, class: "beef", title: "sausage", diet: meat, each: 65, count: true, phrases: "beef sausage"},
	{role: roleProtein, class: "veal", title: "veal", diet: meat, phrases: "veal, veal escalope, veal shank"},

	// Pork.
	{role: roleProtein, class: "pork", title: "pork", diet: meat,
		phrases: "pork, pork shoulder, pork loin, pork tenderloin, pork fillet, pork mince, minced pork, " +
			"ground pork, pork steak, diced pork, pulled pork"},
	{role: roleProtein, class: "pork", diet: meat, each: 200,
		phrases: "pork belly, pork chop, pork rib, spare rib, gammon, ham hock"},
	{role: roleProtein, class: "pork", title: "sausage", diet: meat, each: 65, count: true,
		phrases: "pork sausage, italian sausage, cumberland sausage, toulouse sausage, chipolata, " +
			"sausage meat, sausagemeat"},
	{role: roleProtein, class: "pork", diet: meat, each: 25,
		phrases: "bacon, streaky bacon, back bacon, smoked bacon, pancetta, guanciale, lardon, chorizo, ham, " +
			"prosciutto, parma ham, serrano ham, salami, pepperoni, nduja, speck, mortadella, black pudding"},

	// Lamb, game and the rest.
	{role: roleProtein, class: "lamb", title: "lamb", diet: meat,
		phrases: "lamb, lamb shoulder, leg of lamb, lamb leg, lamb mince, minced lamb, ground lamb, rack of lamb, " +
			"lamb neck, lamb neck fillet, diced lamb, mutton"},
	{role: roleProtein, class: "lamb", diet: meat, each: 120, count: true,
		phrases: "lamb chop, lamb shank, lamb cutlet"},
	{role: roleProtein, class: "lamb", title: "sausage", diet: meat, each: 65, count: true,
		phrases: "lamb sausage, merguez"},
	{role: roleProtein, class: "game", diet: meat,
		phrases: "venison, rabbit, pheasant, pigeon, quail, partridge, grouse, guinea fowl, wild boar, goat, bison"},
	{role: roleProtein, diet: meat,
		phrases: "meat, liver, kidney, tripe, bone marrow, frankfurter, kielbasa"},
	{role: roleProtein, diet: maybeMeat, each: 65, count: true,
		phrases: "sausage, meatball, burger, hot dog"},
	{role: roleProtein, diet: maybeMeat, phrases: "mince, mincemeat"},

	// Fish and seafood.
	{role: roleProtein, class: "fish", diet: fish, each: 130,
		phrases: "fish, white fish, fish fillet, white fish fillet, salmon, smoked salmon, trout, cod, haddock, " +
			"smoked haddock, hake, pollock, coley, sea bass, sea bream, bream, mackerel, smoked mackerel, " +
			"tuna, tuna steak, swordfish, halibut, plaice, sole, monkfish, tilapia, snapper, red mullet, " +
			"herring, kipper, catfish, turbot, skate, barramundi, whitebait"},
	{role: roleProtein, class: "fish", title: "salmon", diet: fish, each: 130, phrases: "salmon fillet, salmon steak"},
	{role: roleProtein, class: "fish", title: "cod", diet: fish, each: 130, phrases: "cod fillet, cod loin"},
	{role: roleProtein, class: "fish", title: "haddock", diet: fish, each: 130, phrases: "haddock fillet"},
	{role: roleProtein, class: "fish", title: "sea bass", diet: fish, each: 130, phrases: "sea bass fillet"},
	{role: roleProtein, class: "fish", diet: fish, each: 30, count: true, phrases: "sardine, pilchard"},
	{role: roleProtein, class: "seafood", diet: seafood, each: 15, count: true,
		phrases: "prawn, king prawn, tiger prawn, mussel, clam, oyster, scallop, langoustine, cockle, crayfish"},
	{role: roleProtein, class: "seafood", diet: seafood,
		phrases: "shrimp, crab, crab meat, crabmeat, lobster, squid, calamari, octopus, seafood, seafood mix"},

	// Meatless proteins.
	{role: roleProtein, class: "tofu", title: "tofu",
		phrases: "tofu, firm tofu, extra firm tofu, silken tofu, smoked tofu"},
	{role: roleProtein,
		phrases: "tempeh, seitan, soy mince, soya mince, textured vegetable protein, jackfruit"},
	{role: roleProtein, diet: egg, phrases: "quorn"},
	{role: roleProtein, diet: dairy, phrases: "halloumi, paneer"},

	// Animal products that are neither a dish's meat nor a flavour.
	{role: roleStaple, diet: animal,
		phrases: "gelatine, gelatin, gelatine leaf, lard, suet, beef suet, dripping, beef dripping, duck fat, " +
			"goose fat, marshmallow"},
	{role: roleStaple, phrases: "vegetable suet, agar, agar agar"},

	// Fish and shellfish used as seasoning: they never name a dish but
	// rule out vegetarian.
	{role: roleFlavour, title: "anchovy", diet: fish, each: 4, count: true,
		phrases: "anchovy, anchovy fillet"},
	{role: roleStaple, diet: fish,
		phrases: "anchovy paste, fish sauce, worcestershire sauce, worcestershire, worcester sauce, dashi, " +
			"bonito, bonito flake, katsuobushi, fish stock, caviar, roe"},
	// Thai curry pastes usually hold shrimp paste or fish sauce.
	{role: roleStaple, diet: seafood, form: "curry", cue: 3,
		phrases: "thai curry paste, red curry paste, green curry paste, yellow curry paste, " +
			"massaman curry paste, panang curry paste, curry paste"},
	{role: roleStaple, form: "curry", cue: 3,
		phrases: "tikka paste, tikka masala paste, tandoori paste, korma paste, balti paste, madras paste, " +
			"rogan josh paste, jalfrezi paste"},
	{role: roleStaple, diet: seafood, phrases: "oyster sauce, shrimp paste, dried shrimp"},
	{role: roleStaple, diet: fish | egg | dairy | animal, phrases: "caesar dressing"},

	// Vegetables with a plural.
	{role: roleFeatured, count: true, each: 80, phrases: "carrot, parsnip, turnip, radish, beet, leek"},
	{role: roleFeatured, title: "potato", count: true, each: 180,
		phrases: "potato, new potato, baby potato, floury potato, waxy potato, maris piper potato"},
	{role: roleFeatured, count: true, each: 250, phrases: "sweet potato"},
	{role: roleFeatured, title: "tomato", count: true,
		phrases: "tomato, plum tomato, vine tomato, beef tomato, beefsteak tomato, heirloom tomato"},
	{role: roleFeatured, title: "cherry tomato", count: true, each: 15, phrases: "cherry tomato, baby plum tomato"},
	{role: roleFeatured, title: "tomato", phrases: "passata, tinned tomato, canned tomato"},
	{role: roleFlavour, title: "sun-dried tomato", count: true, phrases: "sun dried tomato"},
	{role: roleFeatured, title: "mushroom", count: true, each: 20,
		phrases: "mushroom, chestnut mushroom, button mushroom, portobello mushroom, portobello, " +
			"shiitake, shiitake mushroom, oyster mushroom, wild mushroom, porcini, porcini mushroom, " +
			"enoki, chanterelle, king oyster mushroom"},
	{role: roleFeatured, count: true, each: 200,
		phrases: "courgette, zucchini, aubergine, eggplant, cucumber, avocado, artichoke, " +
			"butternut squash, squash, red pepper, green pepper, yellow pepper, orange pepper, " +
			"bell pepper, sweet pepper, romano pepper, corn on the cob"},
	{role: roleFeatured, count: true, each: 10,
		phrases: "olive, black olive, green olive, kalamata olive, padron pepper, brussels sprout, " +
			"green bean, runner bean, broad bean, fine bean, sugar snap pea, sugar snap, water chestnut, " +
			"baby corn, bamboo shoot"},
	{role: roleFeatured, count: true, each: 5, title: "caper", phrases: "caper"},
	{role: roleFeatured, count: true, each: 250, title: "vegetable",
		phrases: "vegetable, mixed vegetable, root vegetable, frozen vegetable"},

	// Vegetables without one.
	{role: roleFeatured, each: 300,
		phrases: "spinach, baby spinach, kale, cavolo nero, chard, swiss chard, rainbow chard, broccoli, " +
			"tenderstem broccoli, tenderstem, purple sprouting broccoli, cauliflower, cabbage, red cabbage, " +
			"savoy cabbage, white cabbage, pointed cabbage, hispi cabbage, asparagus, sweetcorn, corn, okra, celeriac, pumpkin, fennel, " +
			"fennel bulb, spring green, pak choi, pak choy, bok choy, samphire, mangetout, edamame, " +
			"pea, garden pea, petit pois, beetroot, bean sprout, beansprout, kohlrabi, " +
			"plantain, chicory, endive, radicchio, sauerkraut"},

	// Salad leaves: a salad's, mostly.
	{role: roleFeatured, each: 300, form: "salad", cue: 1,
		phrases: "lettuce, romaine, romaine lettuce, cos lettuce, iceberg lettuce, little gem, " +
			"little gem lettuce, butterhead lettuce, lamb s lettuce, rocket, arugula, watercress, " +
			"salad leaf, mixed leaf, mixed salad leaf, baby leaf"},

	// Aromatics: in most savoury dishes, so they name only a dish with
	// nothing else to it.
	{role: roleAromatic, title: "onion", count: true, each: 150,
		phrases: "onion, red onion, white onion, brown onion, yellow onion, sweet onion, pearl onion, " +
			"shallot, banana shallot"},
	{role: roleAromatic, count: true, each: 15, title: "spring onion",
		phrases: "spring onion, scallion, green onion"},
	{role: roleAromatic, title: "celery", each: 40, phrases: "celery, celery stick, celery stalk"},

	// Pulses.
	{role: roleFeatured, class: "lentils", title: "lentil", count: true, each: 240,
		phrases: "lentil, red lentil, green lentil, puy lentil, brown lentil, black lentil, beluga lentil, " +
			"dal, dhal, chana dal, toor dal, urad dal, masoor dal, split pea, yellow split pea"},
	{role: roleFeatured, class: "chickpeas", title: "chickpea", count: true, each: 240,
		phrases: "chickpea, garbanzo bean, garbanzo"},
	{role: roleFeatured, class: "beans", count: true, each: 240,
		phrases: "kidney bean, red kidney bean, black bean, cannellini bean, butter bean, haricot bean, " +
			"borlotti bean, pinto bean, baked bean, white bean, mung bean, black eyed bean, black eyed pea, " +
			"lima bean, flageolet bean, bean, mixed bean"},

	// Fruit.
	{role: roleFeatured, count: true, each: 120,
		phrases: "apple, cooking apple, bramley apple, eating apple, pear, banana, mango, peach, nectarine, " +
			"pomegranate, kiwi, kiwi fruit, passion fruit, grapefruit, clementine, satsuma, mandarin, " +
			"papaya, persimmon, quince"},
	{role: roleFeatured, count: true, each: 30, phrases: "plum, apricot, fig, date, medjool date, lychee"},
	{role: roleFeatured, title: "apricot", count: true, each: 8, phrases: "dried apricot"},
	{role: roleFeatured, count: true, each: 3,
		phrases: "blueberry, raspberry, strawberry, blackberry, cranberry, cherry, berry, mixed berry, " +
			"grape, raisin, sultana, currant, blackcurrant, redcurrant, gooseberry, dried cranberry, " +
			"pomegranate seed"},
	{role: roleFeatured, each: 500,
		phrases: "pineapple, melon, watermelon, rhubarb, dried fruit, mixed peel"},

	// Nuts and seeds.
	{role: roleFeatured, count: true, each: 5,
		phrases: "walnut, pecan, almond, hazelnut, cashew, cashew nut, peanut, pistachio, macadamia, " +
			"macadamia nut, pine nut, brazil nut, chestnut, mixed nut, nut"},
	{role: roleFeatured, title: "almond", count: true, each: 5, phrases: "ground almond, flaked almond"},
	{role: roleFeatured, title: "oat", each: 80,
		phrases: "oat, rolled oat, porridge oat, jumbo oat, oatmeal, steel cut oat"},
	{role: roleStaple, each: 10,
		phrases: "sunflower seed, pumpkin seed, chia seed, flaxseed, linseed, poppy seed, hemp seed, mixed seed"},

	// Cheeses that can name a dish.
	{role: roleFeatured, diet: dairy, title: "cheese",
		phrases: "cheese, grated cheese, cheddar, cheddar cheese, mature cheddar, red leicester, " +
			"double gloucester, monterey jack, colby"},
	{role: roleFeatured, diet: dairy,
		phrases: "mozzarella, buffalo mozzarella, burrata, feta, feta cheese, goat cheese, goat s cheese, " +
			"soft goat cheese, ricotta, blue cheese, stilton, brie, camembert, cottage cheese, labneh, " +
			"fontina, taleggio, provolone, gouda, wensleydale"},
	{role: roleFeatured, diet: dairy | animal,
		phrases: "gruyère, gruyere, emmental, comté, comte, manchego, gorgonzola, roquefort"},
	// Hard Italian cheeses: a seasoning, and made with animal rennet.
	{role: roleFlavour, title: "parmesan", diet: dairy | animal,
		phrases: "parmesan, parmigiano, parmigiano reggiano, parmesan cheese, pecorino, pecorino romano, " +
			"grana padano"},
	{role: roleFlavour, title: "pesto", diet: dairy | animal, phrases: "pesto, basil pesto, green pesto, red pesto"},

	// Flavours.
	{role: roleFlavour, title: "garlic", each: 5,
		phrases: "garlic, garlic clove, clove of garlic, garlic bulb, garlic paste, wild garlic, black garlic"},
	{role: roleFlavour, title: "ginger", each: 15,
		phrases: "ginger, fresh ginger, root ginger, ginger root, ginger paste, stem ginger, crystallised ginger"},
	{role: roleFlavour, title: "lemon", count: true, each: 100,
		phrases: "lemon, lemon juice, lemon zest, preserved lemon, unwaxed lemon"},
	{role: roleFlavour, title: "lime", count: true, each: 70, phrases: "lime, lime juice, lime zest"},
	{role: roleFlavour, title: "orange", count: true, each: 150,
		phrases: "orange, orange juice, orange zest, blood orange"},
	{role: roleFlavour, title: "lemon", diet: egg | dairy, phrases: "lemon curd"},
	{role: roleFlavour, title: "chilli", each: 5,
		phrases: "chilli, chili, chile, red chilli, green chilli, fresh chilli, bird s eye chilli, " +
			"bird eye chilli, scotch bonnet, habanero, serrano, chilli paste, dried chilli, chipotle, " +
			"chipotle paste, chipotle in adobo, jalapeño, jalapeno"},
	{role: roleFlavour, each: 5,
		phrases: "basil, thai basil, coriander, cilantro, parsley, flat leaf parsley, dill, mint, rosemary, " +
			"thyme, sage, oregano, tarragon, chive, chervil, marjoram, lemongrass, lemon grass, curry leaf, " +
			"lovage, sorrel"},
	{role: roleFlavour, title: "lime leaf", each: 1,
		phrases: "lime leaf, kaffir lime leaf, makrut lime leaf"},
	{role: roleFlavour, title: "honey", diet: honey, flags: sweet, phrases: "honey, runny honey, clear honey"},
	{role: roleFlavour, title: "maple", flags: sweet, phrases: "maple syrup, maple"},
	{role: roleFlavour, title: "miso", phrases: "miso, white miso, red miso, miso paste"},
	{role: roleFlavour, title: "soy",
		phrases: "soy sauce, soya sauce, light soy sauce, dark soy sauce, tamari, soy"},
	{role: roleFlavour, title: "mustard",
		phrases: "mustard, dijon mustard, dijon, wholegrain mustard, english mustard, yellow mustard"},
	{role: roleFlavour,
		phrases: "horseradish, wasabi, harissa, tahini, gochujang, teriyaki, hoisin, hoisin sauce, sriracha, " +
			"sesame, sesame seed, coffee, espresso, matcha, caramel, toffee, elderflower, rose water, " +
			"saffron, truffle"},
	{role: roleFlavour, phrases: "nori, kombu, wakame, seaweed, dried seaweed"},
	{role: roleFlavour, title: "peanut", phrases: "peanut butter, smooth peanut butter, crunchy peanut butter"},
	{role: roleFlavour, phrases: "almond butter, cashew butter, nut butter"},
	{role: roleFlavour, title: "coconut",
		phrases: "coconut milk, coconut cream, creamed coconut, coconut, desiccated coconut, coconut flake, " +
			"coconut yogurt, coconut yoghurt"},
	{role: roleFlavour, title: "chocolate", class: "chocolate", diet: dairy, flags: sweet,
		phrases: "chocolate, dark chocolate, milk chocolate, plain chocolate, cooking chocolate"},
	{role: roleFlavour, title: "white chocolate", class: "chocolate", diet: dairy, flags: sweet, phrases: "white chocolate"},
	{role: roleFlavour, title: "chocolate", class: "chocolate",
		phrases: "cocoa, cocoa powder, cacao, cacao powder"},
	{role: roleFeatured, title: "chocolate chip", class: "chocolate", diet: dairy, each: 1,
		phrases: "chocolate chip, chocolate chunk, dark chocolate chip, milk chocolate chip, choc chip"},
	{role: roleFlavour, title: "vanilla",
		phrases: "vanilla, vanilla extract, vanilla essence, vanilla pod, vanilla bean, vanilla bean paste"},
	{role: roleFlavour, title: "jam", flags: sweet, phrases: "jam, raspberry jam, strawberry jam, apricot jam"},

	// Spices.
	{role: roleSpice,
		phrases: "cumin, cumin seed, coriander seed, ground coriander, turmeric, paprika, smoked paprika, " +
			"sweet paprika, cayenne, cayenne pepper, chilli powder, chili powder, chilli flake, chili flake, " +
			"red pepper flake, crushed red pepper, star anise, fennel seed, mustard seed, " +
			"black mustard seed, fenugreek, fenugreek seed, asafoetida, nigella seed, caraway, caraway seed, " +
			"sumac, za atar, zaatar, sichuan peppercorn, szechuan peppercorn, garlic powder, onion powder, " +
			"kashmiri chilli powder, dried oregano, herbes de provence, mixed herb, italian seasoning, " +
			"amchur, kasuri methi, chaat masala"},
	{role: roleSpice, flags: warm,
		phrases: "cinnamon, ground cinnamon, cinnamon stick, nutmeg, ground nutmeg, clove, ground clove, " +
			"ground ginger, cardamom, cardamom pod, ground cardamom, allspice, ground allspice, mace"},
	{role: roleSpice, flags: warm | blend, phrases: "mixed spice, pumpkin spice, pumpkin pie spice"},
	{role: roleSpice, flags: blend, form: "curry", cue: 3,
		phrases: "curry powder, madras curry powder, mild curry powder, hot curry powder"},
	{role: roleSpice, flags: blend, form: "curry", cue: 2, phrases: "garam masala"},
	{role: roleSpice, flags: blend,
		phrases: "ras el hanout, five spice, chinese five spice, cajun seasoning, jerk seasoning, " +
			"taco seasoning, baharat, berbere"},

	// Bases.
	{role: roleBase, class: "pasta", form: "pasta", cue: 3,
		phrases: "pasta, spaghetti, spaghettini, linguine, tagliatelle, fettuccine, pappardelle, penne, " +
			"rigatoni, fusilli, farfalle, orzo, macaroni, conchiglie, orecchiette, bucatini, paccheri, " +
			"ditalini, tortiglioni, casarecce, cavatappi, lasagne, lasagna, gnocchi, ravioli, tortellini, " +
			"cannelloni, angel hair"},
	{role: roleBase, class: "pasta", form: "pasta", cue: 3, title: "lasagne",
		phrases: "lasagne sheet, lasagna sheet, lasagna noodle"},
	{role: roleBase, class: "pasta", form: "pasta", cue: 3, title: "pasta", diet: egg,
		phrases: "egg pasta, fresh pasta"},
	{role: roleBase, class: "rice", title: "rice",
		phrases: "rice, basmati rice, basmati, jasmine rice, long grain rice, brown rice, wild rice, " +
			"short grain rice, sushi rice, sticky rice, pudding rice, paella rice, cooked rice"},
	{role: roleBase, class: "rice", title: "rice", form: "risotto", cue: 3,
		phrases: "risotto rice, arborio, arborio rice, carnaroli, carnaroli rice"},
	{role: roleBase, class: "noodles", title: "noodle", form: "noodles", cue: 2,
		phrases: "noodle, rice noodle, udon, udon noodle, soba, soba noodle, ramen, ramen noodle, " +
			"glass noodle, vermicelli, rice vermicelli, vermicelli noodle, rice stick"},
	{role: roleBase, class: "noodles", title: "noodle", form: "noodles", cue: 2, diet: egg,
		phrases: "egg noodle"},
	{role: roleBase, class: "couscous", title: "couscous", phrases: "couscous, giant couscous, pearl couscous"},
	{role: roleBase, class: "quinoa", title: "quinoa", phrases: "quinoa"},
	{role: roleBase,
		phrases: "bulgur, bulgur wheat, bulghur, polenta, cornmeal, pearl barley, barley, farro, freekeh, " +
			"tortilla, flour tortilla, corn tortilla, tortilla wrap, wrap, taco shell, pitta, pitta bread, " +
			"pita, flatbread, bread, white bread, sourdough, sourdough bread, baguette, ciabatta, bread roll, " +
			"bun, burger bun, hot dog bun, english muffin, crumpet, crouton, breadcrumb, panko, panko breadcrumb, " +
			"rice paper, cracker, digestive biscuit, biscuit, graham cracker"},
	{role: roleBase, diet: dairy, phrases: "naan, naan bread"},
	{role: roleBase, diet: dairy | egg, phrases: "brioche, brioche bun, croissant, sponge finger, ladyfinger, savoiardi"},
	{role: roleBase, diet: dairy, form: "pie", cue: 1,
		phrases: "pastry, shortcrust pastry, puff pastry, ready rolled puff pastry, rough puff pastry, " +
			"filo, filo pastry, phyllo, pie crust, sweet shortcrust pastry"},
	{role: roleBase, form: "pizza", cue: 3, phrases: "pizza dough, pizza base"},

	// Staples: salt, fats, sugars, flours, raising agents, liquids.
	{role: roleStaple, flags: plain, each: 1,
		phrases: "salt, sea salt, kosher salt, table salt, flaky salt, sea salt flake, pepper, black pepper, " +
			"white pepper, peppercorn, black peppercorn, water, ice, ice cube, cooking spray"},
	{role: roleStaple, flags: plain, each: 15,
		phrases: "oil, olive oil, extra virgin olive oil, vegetable oil, sunflower oil, rapeseed oil, canola oil, " +
			"groundnut oil, peanut oil, coconut oil, sesame oil, toasted sesame oil, chilli oil, " +
			"neutral oil, avocado oil"},
	{role: roleStaple, diet: dairy, each: 113,
		phrases: "butter, unsalted butter, salted butter, ghee, margarine, clarified butter, brown butter"},
	{role: roleStaple, phrases: "vegetable shortening, shortening"},
	{role: roleStaple, flags: sweet,
		phrases: "sugar, caster sugar, granulated sugar, white sugar, " +
			"icing sugar, powdered sugar, confectioners sugar, golden caster sugar, golden syrup, treacle, " +
			"black treacle, molasses, agave, agave syrup, agave nectar, palm sugar, coconut sugar, " +
			"jaggery, rice syrup, date syrup, sweetener"},
	{role: roleStaple, title: "brown sugar", flags: sweet,
		phrases: "brown sugar, light brown sugar, dark brown sugar, soft brown sugar, muscovado, " +
			"muscovado sugar, light muscovado sugar, dark muscovado sugar, demerara, demerara sugar"},
	{role: roleStaple,
		phrases: "flour, plain flour, all purpose flour, self raising flour, self rising flour, " +
			"cornflour, cornstarch, corn starch, corn flour, rice flour, gram flour, chickpea flour, " +
			"almond flour, semolina, cake flour, pastry flour, tapioca, tapioca starch, arrowroot, potato starch"},
	{role: roleStaple, flags: bakeTitle, title: "white",
		phrases: "strong flour, strong white flour, strong white bread flour, white bread flour, bread flour"},
	{role: roleStaple, flags: bakeTitle, title: "wholemeal",
		phrases: "wholemeal flour, strong wholemeal flour, wholemeal bread flour, brown bread flour"},
	{role: roleStaple, flags: bakeTitle, title: "whole wheat",
		phrases: "whole wheat flour, wholewheat flour, whole wheat bread flour"},
	{role: roleStaple, flags: bakeTitle, title: "rye", phrases: "rye flour, dark rye flour, light rye flour"},
	{role: roleStaple, flags: bakeTitle, title: "spelt", phrases: "spelt flour, white spelt flour, wholemeal spelt flour"},
	{role: roleStaple, flags: bakeTitle, title: "buckwheat", phrases: "buckwheat flour, buckwheat"},
	{role: roleStaple, each: 5,
		phrases: "baking powder, baking soda, bicarbonate of soda, bicarb, bicarb soda, cream of tartar, " +
			"xanthan gum, cornflour slurry"},
	{role: roleStaple, form: "bread", cue: 2, each: 7,
		phrases: "yeast, dried yeast, dry yeast, fast action yeast, fast action dried yeast, instant yeast, " +
			"easy bake yeast, active dry yeast, fresh yeast, sourdough starter"},
	{role: roleStaple, diet: maybeMeat,
		phrases: "stock, stock cube, stock pot, stock powder, broth, bouillon, bouillon powder, gravy, gravy granule, consommé, consomme"},
	{role: roleStaple,
		phrases: "vegetable stock, veg stock, vegetable stock cube, vegetable broth, vegetable bouillon, mushroom stock"},
	{role: roleStaple, diet: meat,
		phrases: "chicken stock, chicken stock cube, chicken broth, beef stock, beef stock cube, beef broth, " +
			"lamb stock, ham stock, pork stock, bone broth, chicken bouillon, beef bouillon"},
	{role: roleStaple,
		phrases: "wine, red wine, white wine, dry white wine, rosé wine, sherry, dry sherry, port, brandy, rum, " +
			"beer, ale, stout, cider, vodka, gin, whisky, bourbon, marsala, vermouth, prosecco, champagne, " +
			"shaoxing wine, shaoxing rice wine, rice wine, mirin, sake"},
	{role: roleStaple,
		phrases: "vinegar, white wine vinegar, red wine vinegar, cider vinegar, apple cider vinegar, " +
			"balsamic vinegar, balsamic, rice vinegar, rice wine vinegar, sherry vinegar, malt vinegar, " +
			"black vinegar"},
	{role: roleStaple, diet: dairy,
		phrases: "milk, whole milk, semi skimmed milk, skimmed milk, full fat milk, cream, double cream, " +
			"single cream, heavy cream, whipping cream, clotted cream, sour cream, soured cream, " +
			"creme fraiche, crème fraîche, yogurt, yoghurt, greek yogurt, greek yoghurt, natural yogurt, " +
			"natural yoghurt, plain yogurt, evaporated milk, condensed milk, sweetened condensed milk, " +
			"cream cheese, soft cheese, mascarpone, quark, kefir, skyr, ice cream, milk powder, whey, " +
			"goat milk, goat s milk, sheep milk"},
	{role: roleStaple, diet: dairy, flags: bakeTitle, title: "buttermilk", phrases: "buttermilk"},
	{role: roleStaple, diet: dairy | egg, phrases: "custard, custard powder"},
	{role: roleStaple,
		phrases: "oat milk, soy milk, soya milk, almond milk, rice milk, cashew milk, plant milk, " +
			"soy yogurt, soya yogurt, oat cream, soy cream"},
	{role: roleStaple, each: 50, diet: egg,
		phrases: "egg, egg yolk, egg white, duck egg, quail egg, " +
			"mayonnaise, mayo, aioli"},
	{role: roleStaple, phrases: "flax egg, egg replacer, aquafaba"},
	{role: roleStaple,
		phrases: "ketchup, tomato ketchup, tomato paste, tomato puree, tomato purée, hot sauce, tabasco, " +
			"sweet chilli sauce, chilli sauce, black bean sauce, tomato sauce, salsa, passata sauce, " +
			"nutritional yeast, liquid smoke, almond extract, peppermint extract, food colouring, " +
			"sprinkles, marmite, yeast extract, bay leaf, bay, syrup, cocoa butter"},
})
