package archive

import "path"

// detect tells an archive's format from the names of its files, in this
// order: RecCollection's export (recipes.json with photos.json), a Mealie
// backup (database.json), Paprika (.paprikarecipe files), a Mealie export
// (recipes/<slug>/<slug>.json), a folder of pages (.json, .jsonld,
// .html, .htm: Mealie's when its first JSON file is in Mealie's form,
// else schema.org's), then Tandoor (zips, one per recipe, and nothing
// else). The first layout found wins; files of no use to it are ignored.
func detect(src *source) (Format, layout, error) {
	if len(src.files) == 0 {
		return "", nil, refuseAll(ErrUnknownFormat, "the archive is empty")
	}
	if own := ownLayout(src); own != nil {
		return RecCollection, own, nil
	}
	if db := shallowest(src, "database.json"); db != nil {
		return Mealie, &mealieBackup{src: src, db: db, root: dir(db.path)}, nil
	}
	if fs := src.filter(func(p string) bool { return ext(p) == "paprikarecipe" }); len(fs) > 0 {
		return Paprika, &paprikaReader{src: src, files: fs}, nil
	}
	if fs := src.filter(isMealieExportPath); len(fs) > 0 {
		return Mealie, newPageReader(src, fs), nil
	}
	if fs := src.filter(isPage); len(fs) > 0 {
		f, err := sniffPages(src, fs)
		if err != nil {
			return "", nil, err
		}
		return f, newPageReader(src, fs), nil
	}
	if fs := src.filter(func(p string) bool { return ext(p) == "zip" }); len(fs) > 0 {
		return Tandoor, &tandoorReader{src: src, files: fs}, nil
	}
	return "", nil, ErrUnknownFormat
}

// shallowest is the file named base nearest the archive's top.
func shallowest(src *source, base string) *file {
	var best *file
	for _, f := range src.files {
		if path.Base(f.path) == base && (best == nil || len(dir(f.path)) < len(dir(best.path))) {
			best = f
		}
	}
	return best
}
