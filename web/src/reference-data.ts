import { z } from 'zod';
import { type PolicyVersion, policyVersionSchema } from '../../src/domain/policy/schema.js';
import {
  type CreateProductRequest,
  createProductRequestSchema,
  type Product,
  productSchema,
  type UpdateProductRequest,
  updateProductRequestSchema,
} from '../../src/http/catalog/schemas.js';
import {
  type CreateDealerRequest,
  createDealerRequestSchema,
  type Dealer,
  dealerSchema,
  type UpdateDealerRequest,
  updateDealerRequestSchema,
} from '../../src/http/dealers/schemas.js';
import {
  type CreateOemClientRequest,
  createOemClientRequestSchema,
  type OemClient,
  oemClientSchema,
  type UpdateOemClientRequest,
  updateOemClientRequestSchema,
} from '../../src/http/oem-clients/schemas.js';
import {
  createPolicyVersionRequestSchema,
  policyDocumentSchema,
  type PolicyVersionSummary,
  policyVersionSummarySchema,
} from '../../src/http/policies/schemas.js';
import {
  type CreatePolicyDraftRequest,
  createPolicyDraftRequestSchema,
  type EditPolicyDraftRequest,
  editPolicyDraftRequestSchema,
  policyDraftSchema,
  publishedPolicyDraftSchema,
  whatIfReportSchema,
} from '../../src/http/policies/draft-schemas.js';
import {
  type CreateServiceCenterRequest,
  createServiceCenterRequestSchema,
  type ServiceCenter,
  serviceCenterSchema,
  type UpdateServiceCenterRequest,
  updateServiceCenterRequestSchema,
} from '../../src/http/service-centers/schemas.js';
import { request, send } from './api.js';

/*
 * The admin's reference data through the API: dealers, service centers, OEM clients, products and
 * policy versions, checked by the server's own schemas both ways.
 */

export type {
  CreateDealerRequest,
  CreateOemClientRequest,
  CreateProductRequest,
  CreateServiceCenterRequest,
  Dealer,
  OemClient,
  PolicyVersion,
  PolicyVersionSummary,
  Product,
  ServiceCenter,
  UpdateDealerRequest,
  UpdateOemClientRequest,
  UpdateProductRequest,
  UpdateServiceCenterRequest,
};

const path = (base: string, id: string) => `${base}/${encodeURIComponent(id)}`;

export const fetchDealers = () => request(z.array(dealerSchema), '/api/v1/dealers');
export const createDealer = (body: CreateDealerRequest) =>
  send(dealerSchema, 'POST', '/api/v1/dealers', createDealerRequestSchema.parse(body));
export const updateDealer = (id: string, body: UpdateDealerRequest) =>
  send(dealerSchema, 'PATCH', path('/api/v1/dealers', id), updateDealerRequestSchema.parse(body));

export const fetchServiceCenters = () => request(z.array(serviceCenterSchema), '/api/v1/service-centers');
export const createServiceCenter = (body: CreateServiceCenterRequest) =>
  send(serviceCenterSchema, 'POST', '/api/v1/service-centers', createServiceCenterRequestSchema.parse(body));
export const updateServiceCenter = (id: string, body: UpdateServiceCenterRequest) =>
  send(
    serviceCenterSchema,
    'PATCH',
    path('/api/v1/service-centers', id),
    updateServiceCenterRequestSchema.parse(body),
  );

export const fetchOemClients = () => request(z.array(oemClientSchema), '/api/v1/oem-clients');
export const createOemClient = (body: CreateOemClientRequest) =>
  send(oemClientSchema, 'POST', '/api/v1/oem-clients', createOemClientRequestSchema.parse(body));
export const updateOemClient = (id: string, body: UpdateOemClientRequest) =>
  send(oemClientSchema, 'PATCH', path('/api/v1/oem-clients', id), updateOemClientRequestSchema.parse(body));

export const fetchAdminProducts = () => request(z.array(productSchema), '/api/v1/products/admin');
export const createProduct = (body: CreateProductRequest) =>
  send(productSchema, 'POST', '/api/v1/products', createProductRequestSchema.parse(body));
export const updateProduct = (id: string, body: UpdateProductRequest) =>
  send(productSchema, 'PATCH', path('/api/v1/products', id), updateProductRequestSchema.parse(body));

export const fetchPolicyVersions = () => request(z.array(policyVersionSummarySchema), '/api/v1/policies');
export const fetchPolicyVersion = (id: string) => request(policyDocumentSchema, path('/api/v1/policies', id));
export const createPolicyVersion = (body: PolicyVersion) =>
  send(policyVersionSchema, 'POST', '/api/v1/policies', createPolicyVersionRequestSchema.parse(body));

// Draft policy versions and their "what if" (admins).
export const fetchPolicyDrafts = () => request(z.array(policyDraftSchema), '/api/v1/policy-drafts');
export const createPolicyDraft = (body: CreatePolicyDraftRequest) =>
  send(policyDraftSchema, 'POST', '/api/v1/policy-drafts', createPolicyDraftRequestSchema.parse(body));
export const editPolicyDraft = (id: string, body: EditPolicyDraftRequest) =>
  send(policyDraftSchema, 'PUT', path('/api/v1/policy-drafts', id), editPolicyDraftRequestSchema.parse(body));
export const publishPolicyDraft = (id: string, version: number) =>
  send(publishedPolicyDraftSchema, 'POST', `${path('/api/v1/policy-drafts', id)}/publish`, { version });
export const discardPolicyDraft = (id: string, version: number) =>
  send(policyDraftSchema, 'POST', `${path('/api/v1/policy-drafts', id)}/discard`, { version });
export const fetchWhatIf = (draftId: string, months: number) =>
  request(
    whatIfReportSchema,
    `/api/v1/insight/what-if?${new URLSearchParams({ draft: draftId, months: String(months) }).toString()}`,
  );
