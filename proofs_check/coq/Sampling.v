(** ll:sampling, finite form: penalty-preserving Maurey sampling.
    a = ‖θ‖₁ > 0, p_i = |θ_i|/a; an outcome is a list I of q draws in [0, m);
    θ̂_i = (a/q) sgn(θ_i) N_i with N_i the number of draws equal to i.
    Every outcome of positive probability has ‖θ̂‖₀ ≤ q and ‖θ̂‖₁ = a; the expectation
    is the finite sum over all m^q outcomes, Σ_I P(I) θ̂(I) with P(I) = Π_k p_{I_k},
    and it equals θ. *)
Require Import Reals Lra Lia List.
Require Import RL.Sums RL.Model.
Open Scope R_scope.

Definition sgn (z : R) : R := if Rlt_dec 0 z then 1 else if Rlt_dec z 0 then -1 else 0.
Definition cnt (i : nat) (I : list nat) : nat := count_occ Nat.eq_dec I i.
Definition maurey (m q : nat) (th : nat -> R) (I : list nat) : nat -> R :=
  fun i => l1 m th / INR q * sgn (th i) * INR (cnt i I).
Definition l0 (m : nat) (v : nat -> R) : R :=
  sum m (fun i => if Req_EM_T (v i) 0 then 0 else 1).
Definition mass_prob (m : nat) (th : nat -> R) : nat -> R := fun i => Rabs (th i) / l1 m th.

Fixpoint prob (p : nat -> R) (J : list nat) : R :=
  match J with nil => 1 | i :: J' => p i * prob p J' end.
(** Σ over all outcomes J ∈ [0, m)^q. *)
Fixpoint esum (q m : nat) (g : list nat -> R) : R :=
  match q with
  | O => g nil
  | S q' => sum m (fun i => esum q' m (fun J => g (i :: J)))
  end.
Definition expect (m q : nat) (p : nat -> R) (f : list nat -> R) : R :=
  esum q m (fun J => prob p J * f J).

Lemma esum_ext q m g h : (forall J, g J = h J) -> esum q m g = esum q m h.
Proof.
  revert g h. induction q as [|q IH]; intros g h H; simpl; [apply H|].
  apply sum_ext. intros i _. apply IH. intros J. apply H.
Qed.

Lemma esum_plus q m g h : esum q m (fun J => g J + h J) = esum q m g + esum q m h.
Proof.
  revert g h. induction q as [|q IH]; intros g h; simpl; [reflexivity|].
  rewrite <- sum_plus. apply sum_ext. intros i _. apply IH.
Qed.

Lemma esum_scal q m c g : esum q m (fun J => c * g J) = c * esum q m g.
Proof.
  revert g. induction q as [|q IH]; intros g; simpl; [reflexivity|].
  rewrite <- sum_scal_l. apply sum_ext. intros i _. apply IH.
Qed.

Lemma prob_total q m p : sum m p = 1 -> esum q m (prob p) = 1.
Proof.
  intros Hp. induction q as [|q IH]; simpl; [reflexivity|].
  rewrite (sum_ext m _ (fun i => p i * 1)); [rewrite sum_scal_r, Hp; ring|].
  intros i _. change (esum q m (fun J => prob p (i :: J)) = p i * 1).
  change (esum q m (fun J => prob p (i :: J))) with (esum q m (fun J => p i * prob p J)).
  rewrite esum_scal, IH. reflexivity.
Qed.

Lemma cnt_cons i x J :
  INR (cnt i (x :: J)) = (if Nat.eqb i x then 1 else 0) + INR (cnt i J).
Proof.
  unfold cnt. simpl. destruct (Nat.eq_dec x i) as [E|E]; destruct (Nat.eqb_spec i x); try lia.
  - rewrite S_INR. ring.
  - ring.
Qed.

(** E N_j = q p_j. *)
Lemma count_mean q m p j :
  sum m p = 1 -> (j < m)%nat -> esum q m (fun J => prob p J * INR (cnt j J)) = INR q * p j.
Proof.
  intros Hp Hj. induction q as [|q IH]; simpl esum; [simpl; ring|].
  rewrite (sum_ext m _ (fun i => (if Nat.eqb i j then p j else 0) + p i * (INR q * p j))).
  - rewrite sum_plus, sum_point, sum_scal_r, Hp by exact Hj. rewrite S_INR. ring.
  - intros i _.
    rewrite (esum_ext q m _ (fun J => (p i * (if Nat.eqb j i then 1 else 0)) * prob p J
                                      + p i * (prob p J * INR (cnt j J)))).
    + rewrite esum_plus, !esum_scal, prob_total, IH by exact Hp.
      rewrite Nat.eqb_sym. destruct (Nat.eqb_spec i j); [subst|]; ring.
    + intros J. cbv beta. destruct (Nat.eq_dec i j); destruct (Nat.eqb_spec j i); try lia;
        simpl prob; [rewrite S_INR|]; ring.
Qed.

Lemma sum_cnt m I :
  (forall x, In x I -> (x < m)%nat) -> sum m (fun i => INR (cnt i I)) = INR (length I).
Proof.
  induction I as [|x I IH]; intros H.
  - simpl. apply sum_zero.
  - rewrite (sum_ext m _ (fun i => (if Nat.eqb i x then 1 else 0) + INR (cnt i I)))
      by (intros; apply cnt_cons).
    rewrite sum_plus, sum_point by (apply H; left; reflexivity).
    rewrite IH by (intros; apply H; right; assumption).
    simpl length. rewrite S_INR. ring.
Qed.

Lemma sgn_abs z : sgn z * Rabs z = z.
Proof.
  unfold sgn. destruct (Rlt_dec 0 z); [rewrite Rabs_pos_eq by lra; ring|].
  destruct (Rlt_dec z 0); [rewrite Rabs_left by lra; ring|]. lra.
Qed.

Lemma abs_sgn z : z <> 0 -> Rabs (sgn z) = 1.
Proof.
  intros H. unfold sgn. destruct (Rlt_dec 0 z); [apply Rabs_R1|].
  destruct (Rlt_dec z 0); [rewrite Rabs_left by lra; lra|]. lra.
Qed.

Lemma cnt_pos_in i I : cnt i I <> 0%nat -> In i I.
Proof. intros H. apply (count_occ_In Nat.eq_dec). unfold cnt in H. lia. Qed.

Lemma sampling :
  forall (m q : nat) (th : nat -> R) (I : list nat) (j : nat),
    0 < l1 m th ->
    length I = q ->
    (forall i, In i I -> (i < m)%nat /\ th i <> 0) ->
    (j < m)%nat ->
    (0 < q)%nat ->
    (expect m q (mass_prob m th) (fun J => maurey m q th J j) - th j = 0) /\ (l0 m (maurey m q th I) <= INR q) /\ (l1 m (maurey m q th I) = l1 m th).
Proof.
  intros m q th I j Ha Hlen HI Hj Hq0.
  assert (Hq : 1 <= INR q) by (apply (le_INR 1); lia).
  set (a := l1 m th) in *.
  assert (HIm : forall x, In x I -> (x < m)%nat) by (intros x Hx; apply HI, Hx).
  assert (Hsum : sum m (fun i => INR (cnt i I)) = INR q) by (rewrite sum_cnt, Hlen; auto).
  split; [|split].
  - (* unbiasedness, as a finite sum over all outcomes *)
    assert (Hp : sum m (mass_prob m th) = 1).
    { unfold mass_prob. unfold Rdiv. rewrite sum_scal_r. fold (l1 m th). fold a. field. lra. }
    unfold expect, maurey.
    rewrite (esum_ext q m _ (fun J => (a / INR q * sgn (th j)) *
                                      (prob (mass_prob m th) J * INR (cnt j J))))
      by (intros; fold a; ring).
    rewrite esum_scal, count_mean by assumption.
    unfold mass_prob. fold a.
    replace (a / INR q * sgn (th j) * (INR q * (Rabs (th j) / a)))
      with (sgn (th j) * Rabs (th j)) by (field; lra).
    rewrite sgn_abs. ring.
  - (* support: θ̂_i ≠ 0 only where some draw hit i *)
    unfold l0. rewrite <- Hsum. apply sum_le. intros i Hi.
    destruct (Req_EM_T (maurey m q th I i) 0) as [E|E]; [apply pos_INR|].
    destruct (cnt i I) eqn:C.
    + exfalso. apply E. unfold maurey. rewrite C. simpl. ring.
    + rewrite S_INR. pose proof (pos_INR n). lra.
  - (* mass: every draw is in the support, so |sgn θ_i| = 1 wherever N_i > 0 *)
    unfold l1 at 1, maurey.
    rewrite (sum_ext m _ (fun i => a / INR q * INR (cnt i I))).
    + rewrite sum_scal_l, Hsum. field. lra.
    + intros i Hi. fold a.
      rewrite !Rabs_mult, (Rabs_pos_eq (INR (cnt i I))) by apply pos_INR.
      rewrite (Rabs_pos_eq (a / INR q)) by (unfold Rdiv; apply Rmult_le_pos; [lra|left; apply Rinv_0_lt_compat; lra]).
      destruct (Nat.eq_dec (cnt i I) 0) as [C|C].
      * rewrite C. simpl. ring.
      * rewrite abs_sgn by (apply HI, cnt_pos_in, C). ring.
Qed.
