package extract

import "slices"

// keyPriority puts the keys under which sites nest the page's main
// content first when walking JSON-LD.
var keyPriority = map[string]int{"@graph": 0, "mainEntity": 1, "mainEntityOfPage": 2, "itemListElement": 3}

// sortedKeys returns n's keys: the nesting keys of keyPriority first, the
// rest alphabetically.
func sortedKeys(n node) []string {
	keys := make([]string, 0, len(n))
	for k := range n {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b string) int {
		pa, oka := keyPriority[a]
		pb, okb := keyPriority[b]
		switch {
		case oka && okb:
			return pa - pb
		case oka:
			return -1
		case okb:
			return 1
		}
		if a < b {
			return -1
		}
		if a > b {
			return 1
		}
		return 0
	})
	return keys
}
