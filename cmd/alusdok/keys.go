package main

import (
	"context"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/kutsekoda/alusdok/auth"
	"github.com/kutsekoda/alusdok/internal/config"
	"github.com/kutsekoda/alusdok/internal/connect"
)

// KeysCmd manages the API keys with which systems call the API. The keys
// live in MongoDB (the api_keys collection); with "alusdok dev" running,
// the defaults reach its embedded database.
type KeysCmd struct {
	Mongo config.Mongo `embed:""`

	Create KeysCreateCmd `cmd:"" help:"Make an API key and print it once."`
	List   KeysListCmd   `cmd:"" help:"List the API keys (never their secrets)."`
	Revoke KeysRevokeCmd `cmd:"" help:"Revoke an API key: it is refused from then on."`
}

// KeysCreateCmd makes a key.
type KeysCreateCmd struct {
	Role         string `required:"" enum:"submitter,clerk,supervisor,person" help:"Role of the key: submitter, clerk, supervisor or person."`
	Org          string `help:"A submitter's organisation: kutsekoda or an awarding body's 8-digit registry code."`
	PersonalCode string `name:"person-code" help:"A person key's personal code (isikukood)."`
	Name         string `required:"" help:"Who holds the key, as the logs will name it (e.g. \"Tallinna Ehituskool, õppeinfosüsteem\")."`
}

// Run makes the key and prints it with the one warning that matters.
func (k *KeysCreateCmd) Run(rc *runContext) error {
	return withKeyStore(rc, func(ctx context.Context, ks *auth.KeyStore) error {
		key, err := ks.Create(ctx, auth.KeySpec{
			Role: auth.Role(k.Role), Organisation: k.Org, PersonalCode: k.PersonalCode, Name: k.Name,
		})
		if err != nil {
			return err
		}
		_, err = fmt.Fprintf(rc.stdout, `API key %s made (%s, %s).
Store it now: it is shown only this once.

  %s

Send it as "Authorization: ApiKey <key>" or "X-API-Key: <key>".
`, key.ID, key.Role, binding(key.KeyInfo), key.Key)
		return err
	})
}

// KeysListCmd lists the keys.
type KeysListCmd struct{}

// Run prints one line per key; personal codes are masked.
func (KeysListCmd) Run(rc *runContext) error {
	return withKeyStore(rc, func(ctx context.Context, ks *auth.KeyStore) error {
		keys, err := ks.List(ctx)
		if err != nil {
			return err
		}
		return writeKeys(rc.stdout, keys)
	})
}

func writeKeys(w io.Writer, keys []auth.KeyInfo) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tROLE\tBOUND TO\tNAME\tCREATED\tREVOKED")
	for _, k := range keys {
		revoked := "-"
		if !k.Active() {
			revoked = k.Revoked.Local().Format(time.DateTime)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", k.ID, k.Role, binding(k), k.Name, k.Created.Local().Format(time.DateTime), revoked)
	}
	return tw.Flush()
}

// binding says what a key is bound to, a personal code masked.
func binding(k auth.KeyInfo) string {
	switch {
	case k.Organisation != "":
		return k.Organisation
	case k.PersonalCode != "":
		return auth.MaskPersonalCode(k.PersonalCode)
	default:
		return "-"
	}
}

// KeysRevokeCmd revokes a key.
type KeysRevokeCmd struct {
	ID string `arg:"" help:"Id of the key (the part between adk_ and the last _; see keys list)."`
}

// Run revokes the key.
func (k *KeysRevokeCmd) Run(rc *runContext) error {
	return withKeyStore(rc, func(ctx context.Context, ks *auth.KeyStore) error {
		info, err := ks.Revoke(ctx, k.ID)
		if err != nil {
			return err
		}
		_, err = fmt.Fprintf(rc.stdout, "API key %s (%s, %s) revoked at %s.\n",
			info.ID, info.Role, info.Name, info.Revoked.Local().Format(time.DateTime))
		return err
	})
}

// withKeyStore connects to MongoDB with the keys command's flags and runs f.
func withKeyStore(rc *runContext, f func(context.Context, *auth.KeyStore) error) error {
	cfg := rc.cli.Keys.Mongo
	mc, err := connect.Mongo(rc.ctx, cfg)
	if err != nil {
		return err
	}
	defer func(mc *mongo.Client) { _ = mc.Disconnect(context.WithoutCancel(rc.ctx)) }(mc)
	return f(rc.ctx, auth.NewKeyStore(mc.Database(cfg.Database)))
}
