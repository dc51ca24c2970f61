/**
 * The decision behind `IngramBackend.claim`: when a visitor signs in, does their anonymous
 * conversation become the account's, stay behind (the account has one of its own), or is there
 * nothing to claim? The directory's atomic `claim` step decides races; this file asks the API what
 * the directory cannot know (does the anonymous smith hold a run, does the user have a smith keyed
 * to their id) and stamps or archives the anonymous smith accordingly.
 */
import type { Visitor } from '../core/types.js';
import type { ErrorLogger } from '../internal/helpers.js';
import { smithHasRuns } from './conversation-lookup.js';
import { directoryKeys } from './smith-directory.js';
import { isNotFound, type SmithResolver } from './smith-resolver.js';

/** What `claim` did with the anonymous conversation: show it to the visitor. */
export interface ClaimResult {
  /**
   * - `carried_over`: the anonymous smith, its threads included, is now the account's;
   * - `user_has_smith`: the account already has a conversation of its own, and it wins; the
   *   anonymous one is not merged (its smith is archived, its identity retired);
   * - `nothing_to_claim`: no anonymous conversation (no cookie, a retired one, no smith or no run
   *   yet): the user simply gets their own smith.
   */
  outcome: 'carried_over' | 'user_has_smith' | 'nothing_to_claim';
  /** `outcome === 'carried_over'`: the widget's thread continues; otherwise start a new conversation. */
  carriedOver: boolean;
  /** The signed-in user's smith from now on. */
  smithId: string;
  /**
   * A fresh anonymous visitor cookie (a `Set-Cookie` value) to send with the login response, so the
   * browser never presents the old anonymous identity again (after logout it starts afresh). `null`
   * when `claim` was given a bare `Visitor` (no request URL to mint it for).
   */
  setCookie: string | null;
}

export interface ClaimRequest {
  /** The signed-in account (kind `user`). */
  account: Visitor & { kind: 'user' };
  /** The identity the visitor had before signing in, if any (a user visitor claims nothing). */
  before: Visitor | null;
  /** Passed through to the result: the rotated anonymous cookie. */
  setCookie: string | null;
}

/** Claims `before`'s conversation for `account` (see `IngramBackend.claim` for the rules). */
export async function claimConversation(resolver: SmithResolver, request: ClaimRequest, onError: ErrorLogger): Promise<ClaimResult> {
  const { account, setCookie } = request;
  const { client, directory } = resolver;
  const ownSmith = async (outcome: 'user_has_smith' | 'nothing_to_claim'): Promise<ClaimResult> => ({
    outcome,
    carriedOver: false,
    smithId: await resolver.smithIdFor(account, undefined, true),
    setCookie,
  });

  // Only a conversation is worth claiming: no smith, or a smith without a run, leaves nothing
  // behind. A retired identity (claimed before) finds no smith here, so it can never hand an
  // account's conversation to whoever signs in next on that browser.
  const anonymous = request.before?.kind === 'anonymous' ? request.before : null;
  if (!anonymous) return ownSmith('nothing_to_claim');
  const uKey = directoryKeys.user(account.id);
  const cKey = directoryKeys.claimed(resolver.externalIdOf(anonymous));
  const anonSmith = await resolver.findSmithId(anonymous);
  if (!anonSmith) {
    // The same login sent twice (a double click, a retried POST): the first claim retired the
    // identity into this very account's smith a moment ago. Tell the second what the first did;
    // anyone else signing in with the retired cookie still gets nothing of it.
    const claimedInto = await directory.get(cKey);
    if (claimedInto !== null && claimedInto === (await directory.get(uKey))) {
      resolver.remember(account, claimedInto);
      return { outcome: 'carried_over', carriedOver: true, smithId: claimedInto, setCookie };
    }
    return ownSmith('nothing_to_claim');
  }
  if ((await smithHasRuns(client, resolver.externalIdOf(anonymous), anonSmith)) === false) return ownSmith('nothing_to_claim');
  // A user whose smith is keyed to their user id (they chatted signed in before any claim) has
  // no directory record: look for it, and let its conversation win too.
  const userKeyed = (await directory.get(uKey)) === null ? await resolver.userKeyedConversation(account) : null;
  const decided = await directory.claim(uKey, cKey, anonSmith);
  resolver.forget(anonymous);
  if (decided.outcome === 'claimed' && userKeyed) {
    // Only this claim wrote the record (any other now sees user_has_smith): put it right.
    await directory.set(uKey, userKeyed);
  }
  const carried =
    (decided.outcome === 'claimed' && !userKeyed) || (decided.outcome === 'already_claimed' && decided.smithId === anonSmith && (await directory.get(uKey)) === anonSmith);
  if (carried) {
    try {
      await client.updateSmith(anonSmith, resolver.claimPatch(account));
    } catch (err) {
      if (!isNotFound(err)) {
        // The record stands; the next session re-stamps the name and customer id.
        onError(err);
      } else {
        // Archived between the lookup and now (an operator's clean-up): nothing was carried.
        if ((await directory.get(uKey)) === anonSmith) await directory.delete(uKey);
        return ownSmith('nothing_to_claim');
      }
    }
    resolver.remember(account, anonSmith);
    return { outcome: 'carried_over', carriedOver: true, smithId: anonSmith, setCookie };
  }
  // Claimed by another sign-in a moment ago: that account's now, as for a retired cookie.
  if (decided.outcome === 'already_claimed') return ownSmith('nothing_to_claim');
  // This claim retired the identity, so its smith is nobody's account: no cookie reaches it
  // again, and archiving keeps it out of the anonymous segment (its runs stay listed).
  try {
    await client.archiveSmith(anonSmith);
  } catch (err) {
    if (!isNotFound(err)) onError(err);
  }
  return ownSmith('user_has_smith');
}
