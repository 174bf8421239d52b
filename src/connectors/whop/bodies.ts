import type { Whop } from '@whop/sdk';

/*
 * The bodies we send, as subsets of `@whop/sdk` 0.0.42's parameter types: `Pick` stops compiling
 * when a field we send leaves the SDK (test/connectors/whop/sdk-contract.test.ts checks the rest).
 */
/** POST /products body (SDK products.ts `ProductCreateParams`; `account_id`, not `company_id`). */
export type WhopProductCreate = Pick<Whop.ProductCreateParams, 'account_id' | 'title' | 'description' | 'headline' | 'visibility'>;
/** PATCH /products/{id} body (SDK `ProductUpdateParams`). */
export type WhopProductUpdate = Pick<Whop.ProductUpdateParams, 'title' | 'description' | 'headline' | 'visibility'>;
/** POST /plans body (SDK plans.ts `PlanCreateParams`). */
export type WhopPlanCreate = Pick<Whop.PlanCreateParams, 'account_id' | 'product_id' | 'plan_type' | 'release_method' | 'currency' | 'initial_price' | 'stock' | 'unlimited_stock' | 'visibility' | 'metadata'>;
/** PATCH /plans/{id} body (SDK `PlanUpdateParams`); `custom_fields` is added by `apply` from a fresh GET. */
export type WhopPlanUpdate = Pick<Whop.PlanUpdateParams, 'currency' | 'initial_price' | 'stock' | 'unlimited_stock' | 'visibility' | 'custom_fields' | 'metadata'>;
/** POST /experiences body (SDK experiences.ts `ExperienceCreateParams`: experiences still say `company_id`). */
export type WhopExperienceCreate = Pick<Whop.ExperienceCreateParams, 'app_id' | 'company_id' | 'name' | 'is_public'>;
/** PATCH /experiences/{id} body (SDK `ExperienceUpdateParams`). */
export type WhopExperienceUpdate = Pick<Whop.ExperienceUpdateParams, 'name' | 'is_public'>;
/** POST /experiences/{id}/attach body (SDK `ExperienceAttachParams`). */
export type WhopAttach = Pick<Whop.ExperienceAttachParams, 'product_id'>;
