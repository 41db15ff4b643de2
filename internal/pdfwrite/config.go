// Package pdfwrite holds the pdfcpu configuration with which alusdok writes
// PDFs (notices, stamped renditions).
package pdfwrite

import (
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
)

// Config is pdfcpu's default configuration, built here rather than by
// model.NewDefaultConfiguration, which creates and reads a configuration
// directory under the user's home on first use.
func Config() *model.Configuration {
	return &model.Configuration{
		Reader15:                       true,
		ValidationMode:                 model.ValidationRelaxed,
		UnsupportedResourcePolicy:      model.UnsupportedResourceSkip,
		Eol:                            types.EolLF,
		WriteObjectStream:              true,
		WriteXRefStream:                true,
		EncryptUsingAES:                true,
		EncryptKeyLength:               256,
		Permissions:                    model.PermissionsPrint,
		TimestampFormat:                "2006-01-02 15:04",
		DateFormat:                     "2006-01-02",
		Optimize:                       true,
		OptimizeBeforeWriting:          true,
		OptimizeResourceDicts:          true,
		CreateBookmarks:                true,
		MergeBookmarkMode:              model.MergeBookmarkModeWrap,
		Offline:                        true,
		Timeout:                        5,
		TimeoutCRL:                     10,
		TimeoutOCSP:                    10,
		PreferredCertRevocationChecker: model.CRL,
		Limits:                         model.DefaultResourceLimits(),
	}
}
