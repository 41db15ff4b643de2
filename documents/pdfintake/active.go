package pdfintake

import (
	"slices"

	"github.com/kutsekoda/alusdok/deficiency"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
)

// Active content: what a PDF viewer may run or open instead of merely
// render. alusdok never runs it, but a document that carries it is not a
// plain record of a decision, and the next reader's viewer might.
//
// Every object of the document (object streams included) is walked,
// nested direct objects too, for
//
//   - JavaScript: an action /S /JavaScript, any /JS entry, a /JavaScript
//     name tree, XFA forms (which carry scripts);
//   - actions that leave the document: /Launch, /SubmitForm,
//     /ImportData, /GoToE (into an embedded file);
//   - embedded files: /EmbeddedFile streams, file specifications with
//     /EF, an /EmbeddedFiles name tree, file-attachment annotations;
//   - multimedia: /RichMedia, /Screen, /Movie and /Sound annotations,
//     /Rendition actions.

// maxWalkDepth bounds the walk through nested direct objects.
const maxWalkDepth = 64

// findActiveContent lists the kinds of active content found, sorted.
func findActiveContent(pctx *model.Context) []string {
	found := map[string]bool{}
	for _, e := range pctx.XRefTable.Table {
		if e == nil || e.Free || e.Object == nil {
			continue
		}
		walkActive(e.Object, found, 0)
	}
	out := make([]string, 0, len(found))
	for k := range found {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// Kinds of active content, as findActiveContent names them.
const (
	activeJavaScript = "javascript"
	activeAction     = "external-action"
	activeEmbedded   = "embedded-file"
	activeMultimedia = "multimedia"
)

func walkActive(o types.Object, found map[string]bool, depth int) {
	if depth > maxWalkDepth {
		return
	}
	switch v := o.(type) {
	case types.StreamDict:
		walkActive(v.Dict, found, depth+1)
	case types.Array:
		for _, x := range v {
			walkActive(x, found, depth+1)
		}
	case types.Dict:
		classifyActive(v, found)
		for _, x := range v {
			walkActive(x, found, depth+1)
		}
	}
}

// classifyActive marks what one dictionary is.
func classifyActive(d types.Dict, found map[string]bool) {
	if s := d.NameEntry("S"); s != nil {
		switch *s {
		case "JavaScript":
			found[activeJavaScript] = true
		case "Launch", "SubmitForm", "ImportData", "GoToE":
			found[activeAction] = true
		case "Rendition", "RichMediaExecute", "Movie", "Sound":
			found[activeMultimedia] = true
		}
	}
	if _, ok := d["JS"]; ok {
		found[activeJavaScript] = true
	}
	if _, ok := d["JavaScript"]; ok { // a /Names dictionary's name tree
		found[activeJavaScript] = true
	}
	if _, ok := d["XFA"]; ok {
		found[activeJavaScript] = true
	}
	if _, ok := d["EmbeddedFiles"]; ok {
		found[activeEmbedded] = true
	}
	if _, ok := d["EF"]; ok {
		found[activeEmbedded] = true
	}
	if isType(d, "EmbeddedFile") {
		found[activeEmbedded] = true
	}
	if st := d.NameEntry("Subtype"); st != nil {
		switch *st {
		case "FileAttachment":
			found[activeEmbedded] = true
		case "RichMedia", "Screen", "Movie", "Sound":
			found[activeMultimedia] = true
		}
	}
}

// activeContentPolicy reports active content: an error, or a warning when
// the kind's policy allows it.
func activeContentPolicy(kinds []string, warnOnly bool) deficiency.List {
	var l deficiency.List
	if len(kinds) == 0 {
		return l
	}
	sev := deficiency.Error
	if warnOnly {
		sev = deficiency.Warning
	}
	add(&l, sev, FieldDocument, CodeActiveContent)
	return l
}
