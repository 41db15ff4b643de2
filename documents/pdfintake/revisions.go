package pdfintake

import (
	"cmp"
	"context"
	"maps"
	"slices"

	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
)

// Revisions after a signature.
//
// An incremental update appended after a signature is harmless only when
// it adds signatures, validation data (DSS) or nothing that renders. To
// tell, the revision a signature covered (the file up to the end of its
// byte range) is parsed on its own and compared object by object with the
// whole file. An object of the signed revision that a later revision
// redefines is a change unless it is
//
//   - the catalog, differing only in /AcroForm, /DSS, /Perms,
//     /Extensions, /Metadata or /Version;
//   - the AcroForm, differing only in /Fields, /SigFlags, /DR or /DA;
//   - a page, differing only in /Annots, every added annotation being a
//     signature widget;
//   - a signature field or widget, differing only in /V, /AP or /F;
//   - an array (a page's /Annots, the /Fields) that only gains signature
//     fields or widgets;
//   - the document information dictionary or the catalog's XMP metadata
//     (signing tools update both), a DSS or VRI dictionary, or a
//     cross-reference or object stream.
//
// Objects a later revision only adds cannot render unless a changed
// object refers to them, which the rules above catch (a new page needs a
// changed page tree, new content a changed page).

// maxRevisionParses bounds how many signed revisions are parsed again.
const maxRevisionParses = 8

// checkRevisions sets changedAfter on each signature with bytes after its
// range whose later revisions change what it covered.
func checkRevisions(c context.Context, data []byte, pctx *model.Context, sigs []checkedSignature, j job) {
	var idx []int
	for i, s := range sigs {
		if s.ModifiedAfterSigning && s.SignedBytes > 0 {
			idx = append(idx, i)
		}
	}
	if len(idx) == 0 {
		return
	}
	// The earliest signed revision first: if nothing after it changes
	// content, nothing after a later one does either.
	slices.SortFunc(idx, func(a, b int) int { return cmp.Compare(sigs[a].SignedBytes, sigs[b].SignedBytes) })
	parsed := map[int64]bool{}
	for n, i := range idx {
		end := sigs[i].SignedBytes
		if n >= maxRevisionParses {
			sigs[i].changedAfter = true // not compared: assume the worst
			continue
		}
		if _, done := parsed[end]; !done {
			parsed[end] = changedSince(c, data[:end], pctx, j)
		}
		sigs[i].changedAfter = parsed[end]
		if n == 0 && !parsed[end] {
			return
		}
	}
}

// changedSince reports whether the document pctx changes what the earlier
// revision old held (or old cannot be parsed).
func changedSince(c context.Context, old []byte, pctx *model.Context, j job) bool {
	octx, defs, interrupted := parse(c, old, j)
	if interrupted || len(defs) > 0 || octx == nil {
		return true
	}
	ot, nt := octx.XRefTable, pctx.XRefTable
	special := specialObjects(octx)
	for nr, oe := range ot.Table {
		if nr == 0 || oe == nil || oe.Free {
			continue
		}
		ne := nt.Table[nr]
		if ne == nil || ne.Free {
			return true // deleted
		}
		if sameEntry(ot, nt, oe, ne) {
			continue
		}
		if !allowedChange(octx, pctx, nr, oe.Object, ne.Object, special[nr]) {
			return true
		}
	}
	return false
}

// sameEntry reports whether an object is still the very bytes of the
// signed revision: at the same offset, or at the same place of the same
// unchanged object stream.
func sameEntry(ot, nt *model.XRefTable, oe, ne *model.XRefTableEntry) bool {
	switch {
	case !oe.Compressed && !ne.Compressed:
		return oe.Offset != nil && ne.Offset != nil && *oe.Offset == *ne.Offset
	case oe.Compressed && ne.Compressed:
		if oe.ObjectStream == nil || ne.ObjectStream == nil || oe.ObjectStreamInd == nil || ne.ObjectStreamInd == nil ||
			*oe.ObjectStream != *ne.ObjectStream || *oe.ObjectStreamInd != *ne.ObjectStreamInd {
			return false
		}
		os, ns := ot.Table[*oe.ObjectStream], nt.Table[*ne.ObjectStream]
		return os != nil && ns != nil && !os.Compressed && !ns.Compressed && sameEntry(ot, nt, os, ns)
	}
	return false
}

// role is what an object of the signed revision is, for allowedChange.
type role int

const (
	roleOther role = iota
	roleCatalog
	roleAcroForm
	roleInfo
	roleMetadata // the catalog's XMP /Metadata stream
	roleFields   // an indirect /Fields array of the AcroForm
	roleAnnots   // an indirect /Annots array of a page
)

// specialObjects finds the catalog, AcroForm and info dictionary of a
// revision by object number.
func specialObjects(ctx *model.Context) map[int]role {
	out := map[int]role{}
	x := ctx.XRefTable
	if x.Root != nil {
		out[x.Root.ObjectNumber.Value()] = roleCatalog
		if cat, err := ctx.DereferenceDict(*x.Root); err == nil && cat != nil {
			if ir, ok := cat["AcroForm"].(types.IndirectRef); ok {
				out[ir.ObjectNumber.Value()] = roleAcroForm
			}
			if ir, ok := cat["Metadata"].(types.IndirectRef); ok {
				out[ir.ObjectNumber.Value()] = roleMetadata
			}
		}
	}
	if x.Info != nil {
		out[x.Info.ObjectNumber.Value()] = roleInfo
	}
	for _, e := range x.Table {
		if e == nil || e.Free {
			continue
		}
		d, ok := asDict(e.Object)
		if !ok {
			continue
		}
		if ir, ok := d["Fields"].(types.IndirectRef); ok {
			out[ir.ObjectNumber.Value()] = roleFields
		}
		if ir, ok := d["Annots"].(types.IndirectRef); ok && isType(d, "Page") {
			out[ir.ObjectNumber.Value()] = roleAnnots
		}
	}
	return out
}

// allowedChange reports whether object nr may differ as it does.
func allowedChange(octx, nctx *model.Context, nr int, o, n types.Object, r role) bool {
	od, ok1 := asDict(o)
	nd, ok2 := asDict(n)
	switch r {
	case roleInfo, roleMetadata: // metadata does not render; signing tools update it
		return true
	case roleCatalog:
		if !ok1 || !ok2 {
			return false
		}
		ignore := []string{"AcroForm", "DSS", "Perms", "Extensions", "Metadata", "Version"}
		if !sameDictExcept(od, nd, ignore...) {
			return false
		}
		// A direct AcroForm is compared like an indirect one.
		oa, oaok := od["AcroForm"].(types.Dict)
		na, naok := nd["AcroForm"].(types.Dict)
		if oaok || naok {
			return oaok && naok && sameDictExcept(oa, na, "Fields", "SigFlags", "DR", "DA")
		}
		return true
	case roleAcroForm:
		return ok1 && ok2 && sameDictExcept(od, nd, "Fields", "SigFlags", "DR", "DA")
	case roleFields:
		return onlySignaturesAdded(octx, nctx, o, n, false)
	case roleAnnots:
		return onlySignaturesAdded(octx, nctx, o, n, true)
	}
	if _, isArr := o.(types.Array); isArr {
		// pdfcpu's validation inlines some indirect arrays (a page's
		// /Annots) into their dictionaries, so the role of an array is not
		// always known: any array may only gain signature fields.
		return onlySignaturesAdded(octx, nctx, o, n, false)
	}
	if !ok1 || !ok2 {
		return false
	}
	switch {
	case isType(od, "XRef") || isType(od, "ObjStm") || isType(od, "DSS") || isType(od, "VRI"):
		return true
	case isSignatureField(octx, od):
		return sameDictExcept(od, nd, "V", "AP", "F")
	case isType(od, "Page"):
		return sameDictExcept(od, nd, "Annots") && onlySignaturesAdded(octx, nctx, od["Annots"], nd["Annots"], true)
	}
	return false
}

// asDict returns the dictionary of a dictionary or stream object.
func asDict(o types.Object) (types.Dict, bool) {
	switch v := o.(type) {
	case types.Dict:
		return v, true
	case types.StreamDict:
		return v.Dict, true
	}
	return nil, false
}

// sameDictExcept compares two dictionaries without the given keys. Values
// are compared as written (PDF syntax), so indirect references compare by
// object number: what they point to is compared as its own object.
func sameDictExcept(a, b types.Dict, ignore ...string) bool {
	keys := map[string]bool{}
	for k := range maps.Keys(a) {
		keys[k] = true
	}
	for k := range maps.Keys(b) {
		keys[k] = true
	}
	for k := range keys {
		if slices.Contains(ignore, k) {
			continue
		}
		av, aok := a[k]
		bv, bok := b[k]
		if aok != bok {
			return false
		}
		if !aok {
			continue
		}
		if (av == nil) != (bv == nil) || (av != nil && av.PDFString() != bv.PDFString()) {
			return false
		}
	}
	return true
}

// isType reports /Type /name.
func isType(d types.Dict, name string) bool {
	t := d.NameEntry("Type")
	return t != nil && *t == name
}

// isSignatureField reports a field (or merged field and widget) of type
// /Sig, directly or through its /Parent.
func isSignatureField(ctx *model.Context, d types.Dict) bool {
	for range 8 {
		if ft := d.NameEntry("FT"); ft != nil {
			return *ft == "Sig"
		}
		p, ok := d["Parent"]
		if !ok {
			return false
		}
		pd, err := ctx.DereferenceDict(p)
		if err != nil || pd == nil {
			return false
		}
		d = pd
	}
	return false
}

// onlySignaturesAdded reports whether every entry of the new array (a
// page's /Annots, or the AcroForm's /Fields) that the old one lacks is a
// signature field (a signature widget, for annotations), and none was
// removed.
func onlySignaturesAdded(octx, nctx *model.Context, oldArr, newArr types.Object, widgets bool) bool {
	oa, _ := octx.DereferenceArray(oldArr)
	na, err := nctx.DereferenceArray(newArr)
	if err != nil {
		return false
	}
	had := map[string]bool{}
	for _, a := range oa {
		if a != nil {
			had[a.PDFString()] = true
		}
	}
	seen := 0
	for _, a := range na {
		if a == nil {
			continue
		}
		if had[a.PDFString()] {
			seen++
			continue
		}
		d, err := nctx.DereferenceDict(a)
		if err != nil || d == nil {
			return false
		}
		if st := d.NameEntry("Subtype"); widgets && (st == nil || *st != "Widget") {
			return false
		}
		if !isSignatureField(nctx, d) {
			return false
		}
	}
	return seen >= len(had)
}
