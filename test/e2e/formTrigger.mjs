/**
 * Running a Form Trigger workflow the way its users do: published, then submitted through the form's real HTTP endpoint as a browser would (multipart, one part per
 * field, `field-<index>`), and its execution read back through n8n's REST API.
 */
import { parse } from 'flatted';

const FORM_TRIGGER = 'n8n-nodes-base.formTrigger';

export const formTriggerOf = (workflow) => workflow.nodes.find((node) => node.type === FORM_TRIGGER);

/** Publishes (activates) each workflow that starts with a Form Trigger, as the editor's Publish button does. */
export async function publishFormWorkflows(session, workflows) {
	for (const workflow of workflows.filter(formTriggerOf)) {
		const { data } = await session.get(`/rest/workflows/${workflow.id}`);
		await session.post(`/rest/workflows/${workflow.id}/activate`, { versionId: data.versionId });
	}
}

/**
 * Submits the workflow's form with `values` by field label (a file is `{ fileName, mimeType,
 * bytes }`), waits for the execution it started, and returns it in `n8n execute`'s shape:
 * `{ status, data: { resultData: { runData } } }`.
 */
export async function submitForm(baseUrl, session, workflow, values) {
	const trigger = formTriggerOf(workflow);
	const form = new FormData();
	for (const [index, field] of trigger.parameters.formFields.values.entries()) {
		const value = values[field.fieldLabel];
		if (value === undefined) continue;
		if (field.fieldType === 'file') form.append(`field-${index}`, new Blob([value.bytes], { type: value.mimeType }), value.fileName);
		else form.append(`field-${index}`, value);
	}
	await waitForForm(baseUrl, trigger.parameters.options.path);
	const before = new Set((await executions(session, workflow.id)).map((execution) => execution.id));
	const response = await fetch(`${baseUrl}/form/${trigger.parameters.options.path}`, { method: 'POST', body: form });
	const text = await response.text();
	if (!response.ok) throw new Error(`form submission: HTTP ${response.status} ${text.slice(0, 500)}`);
	// "Respond When: Workflow Finishes": the run is over when the answer arrives; n8n may still be saving it.
	for (let attempt = 0; attempt < 50; attempt++) {
		const fresh = (await executions(session, workflow.id)).find((execution) => !before.has(execution.id));
		if (fresh && !['new', 'running'].includes(fresh.status)) {
			const { data } = await session.get(`/rest/executions/${fresh.id}`);
			return { status: data.status, data: parse(data.data) };
		}
		await new Promise((resolve) => setTimeout(resolve, 200));
	}
	throw new Error(`the form submission of ${workflow.id} started no finished execution`);
}

/**
 * n8n 2.x activates published workflows in the background after startup (its publication
 * service polls an outbox): the form answers once its trigger is registered.
 */
async function waitForForm(baseUrl, formPath, timeoutMs = 120_000) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const response = await fetch(`${baseUrl}/form/${formPath}`);
		await response.arrayBuffer();
		if (response.ok) return;
		if (Date.now() > deadline) throw new Error(`the form /form/${formPath} was not registered within ${timeoutMs / 1000} s (HTTP ${response.status})`);
		await new Promise((resolve) => setTimeout(resolve, 500));
	}
}

/** The workflow's latest executions (id, status), newest first. */
async function executions(session, workflowId) {
	const filter = encodeURIComponent(JSON.stringify({ workflowId }));
	const { data } = await session.get(`/rest/executions?filter=${filter}&limit=20`);
	return data.results ?? [];
}
