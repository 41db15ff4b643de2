package documents

// Kutsekoda is the organisation id of the processor, the Foundation
// Kutsekoda, which submits council, standard and awarding-body data (R11.1.1).
const Kutsekoda = "kutsekoda"

// Submitter is the authenticated organisation and person submitting a base
// document. Organisation is either Kutsekoda or the 8-digit registry code of
// an awarding body (R11.1.2). It comes from authentication, not from the
// document.
type Submitter struct {
	Organisation string `json:"organisation" bson:"organisation"`
	Name         string `json:"name" bson:"name"`
}

// IsKutsekoda reports whether the submitter acts for Kutsekoda.
func (s Submitter) IsKutsekoda() bool { return s.Organisation == Kutsekoda }
