package config

// Letterhead is who the written notices come from: the top of every
// letter and the signature under it.
type Letterhead struct {
	Name         string `name:"letterhead-name" env:"ALUSDOK_LETTERHEAD_NAME" default:"Sihtasutus Kutsekoda" help:"Name of the processor at the top of every notice."`
	Unit         string `name:"letterhead-unit" env:"ALUSDOK_LETTERHEAD_UNIT" default:"Kutseregister" help:"Unit under the name (the register)."`
	Address      string `name:"letterhead-address" env:"ALUSDOK_LETTERHEAD_ADDRESS" help:"Postal address on one line, e.g. \"Mustamäe tee 16, 10617 Tallinn\"."`
	RegistryCode string `name:"letterhead-registry-code" env:"ALUSDOK_LETTERHEAD_REGISTRY_CODE" help:"The processor's business register code."`
	Email        string `name:"letterhead-email" env:"ALUSDOK_LETTERHEAD_EMAIL" help:"Contact e-mail address on notices."`
	Phone        string `name:"letterhead-phone" env:"ALUSDOK_LETTERHEAD_PHONE" help:"Contact telephone on notices."`
	Web          string `name:"letterhead-web" env:"ALUSDOK_LETTERHEAD_WEB" help:"Web address on notices."`
}

// Seal is the e-seal with which every notice is signed (PAdES): a PKCS#12
// file, or a PEM certificate with a PEM key. Without one notices are not
// sealed (alusdok dev makes a test seal).
type Seal struct {
	Cert         string `name:"seal-cert" env:"ALUSDOK_SEAL_CERT" help:"E-seal for notices: a PKCS#12 file (.p12), or a PEM file of the seal certificate followed by its issuers (empty: notices are not sealed)."`
	Key          string `name:"seal-key" env:"ALUSDOK_SEAL_KEY" help:"PEM private key file of the e-seal (empty with PKCS#12)."`
	Password     Secret `name:"seal-password" env:"ALUSDOK_SEAL_PASSWORD" help:"Password of the PKCS#12 file."`
	PasswordFile string `name:"seal-password-file" env:"ALUSDOK_SEAL_PASSWORD_FILE" help:"File holding the password of the PKCS#12 file (a mounted secret); used when --seal-password is empty."`
	TSA          string `name:"seal-tsa" env:"ALUSDOK_SEAL_TSA" help:"URL of an RFC 3161 timestamp authority: seals get a trusted timestamp (PAdES B-T; empty: the signing time only)."`
}
