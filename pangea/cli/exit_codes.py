"""Exit statuses of the ``pangea`` command; stable, so CI scripts can branch on them."""

OK = 0  # success; for `plan`: no changes in any template
TERRAFORM_FAILED = 1  # a Terraform step failed; its own status is in the message, not passed on
CHANGES_PRESENT = 2  # `plan` only: at least one template has changes to apply
INVALID_INPUT = 3  # bad command line, file, template name, pangea.yaml, or validation problems
NO_TERRAFORM = 4  # no usable Terraform/OpenTofu binary
NOT_CONFIRMED = 5  # apply/destroy/unlock declined, or needed confirmation without a terminal
INTERRUPTED = 130  # Ctrl-C

DESCRIPTIONS = {
    OK: "success (plan: no changes)",
    TERRAFORM_FAILED: "Terraform failed (its own exit status is named in the message)",
    CHANGES_PRESENT: "plan: changes present",
    INVALID_INPUT: "invalid input: command line, file, template, pangea.yaml or validation",
    NO_TERRAFORM: "no Terraform/OpenTofu binary found",
    NOT_CONFIRMED: "apply/destroy/unlock not confirmed",
    INTERRUPTED: "interrupted",
}
