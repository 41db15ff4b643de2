// Package documents holds the seven kinds of base document (alusdokument,
// R10) that the Register of Occupational Qualifications rests on: their
// types, the strict decoder of their metadata JSON, the field rules, and the
// checks against the data already in the register.
//
// The pipeline, one entry point per step:
//
//	Decode / DecodeBytes  strict JSON → *BaseDocument           (decode.go)
//	Validator.Rules       field rules, dates, uniqueness, sizes  (rules*.go)
//	Check                 existence, rights, R11.1, R13.3        (check*.go)
//	Validator.Validate    all three, as the API and workflows call it
//
// Every problem is a deficiency.Deficiency with a JSON field path
// (payload.certificates[3].personalCode), a stable code (see Codes and
// CODES.md) and a message in Estonian and English. Messages never repeat a
// submitted value, so no personal code, birth date or name can leak
// through them (R15.1). An error return means an infrastructure failure
// (the register could not be read), never bad input.
//
// The PDF of a base document is handled by documents/pdfintake; this
// package decodes the metadata that accompanies it.
package documents
