(** The finite-sample setting (docs: README "What it checks").

    Data: N samples, input x_k = X k (a vector [nat -> R] of dimension d), label Y k;
    every expectation is the empirical mean [mean N]. Model of width m:
    Φ(x; W, θ) = Σ_{i<m} θ_i ρ(w_iᵀx), ρ = ReLU, rows w_i = W i.
    Objective F = R + κ‖θ‖₁ with R = mean_k ℒ(y_k, Φ(x_k)).
    D_X is any number with mean_k (vᵀx_k)² ≤ D_X² ‖v‖² for every v
    ([data_scale]); the smallest one is the square root of the largest eigenvalue of the
    empirical second-moment matrix. *)
Require Import Reals Lra Lia.
Require Import RL.Sums.
Open Scope R_scope.

Definition dot (d : nat) (u v : nat -> R) : R := sum d (fun j => u j * v j).
Definition norm (d : nat) (u : nat -> R) : R := sqrt (dot d u u).
Definition vsub (u v : nat -> R) : nat -> R := fun j => u j - v j.
Definition relu (z : R) : R := Rmax 0 z.
Definition mean (N : nat) (f : nat -> R) : R := sum N f / INR N.

Definition Phi (d m : nat) (W : nat -> nat -> R) (th : nat -> R) (x : nat -> R) : R :=
  sum m (fun i => th i * relu (dot d (W i) x)).
Definition l1 (m : nat) (th : nat -> R) : R := sum m (fun i => Rabs (th i)).
Definition risk (N d m : nat) (X : nat -> nat -> R) (Y : nat -> R) (ell : R -> R -> R)
  (W : nat -> nat -> R) (th : nat -> R) : R :=
  mean N (fun k => ell (Y k) (Phi d m W th (X k))).
Definition Fobj (N d m : nat) (X : nat -> nat -> R) (Y : nat -> R) (ell : R -> R -> R)
  (kappa : R) (W : nat -> nat -> R) (th : nat -> R) : R :=
  risk N d m X Y ell W th + kappa * l1 m th.

(** Standing assumptions, finite form. *)
Definition lipschitz_loss (ell : R -> R -> R) (L : R) : Prop :=
  forall y u v, Rabs (ell y u - ell y v) <= L * Rabs (u - v).
Definition convex_loss (ell : R -> R -> R) : Prop :=
  forall y u v t, 0 <= t <= 1 -> ell y ((1 - t) * u + t * v) <= (1 - t) * ell y u + t * ell y v.
Definition data_scale (N d : nat) (X : nat -> nat -> R) (DX : R) : Prop :=
  0 <= DX /\ forall v, mean N (fun k => dot d v (X k) ^ 2) <= DX ^ 2 * dot d v v.
Definition in_ball (d m : nat) (W : nat -> nat -> R) : Prop :=
  forall i, (i < m)%nat -> norm d (W i) <= 1.

Definition zero_theta : nat -> R := fun _ => 0.
Definition thlin (t : R) (a b : nat -> R) : nat -> R := fun i => (1 - t) * a i + t * b i.
Definition wlin (t : R) (V W : nat -> nat -> R) : nat -> nat -> R :=
  fun i j => (1 - t) * V i j + t * W i j.

(** ReLU. *)
Ltac relu_cases :=
  unfold relu, Rmax, Rabs in *;
  repeat match goal with
         | |- context [Rle_dec ?a ?b] => destruct (Rle_dec a b)
         | |- context [Rcase_abs ?a] => destruct (Rcase_abs a)
         end.

Lemma relu_lip a b : Rabs (relu a - relu b) <= Rabs (a - b).
Proof. relu_cases; lra. Qed.

Lemma relu_nonneg z : 0 <= relu z.
Proof. relu_cases; lra. Qed.

Lemma relu_le_abs z : relu z <= Rabs z.
Proof. relu_cases; lra. Qed.

Lemma relu_sq z : relu z ^ 2 <= z ^ 2.
Proof. relu_cases; nra. Qed.

(** Vectors. *)
Lemma dot_self_nonneg d v : 0 <= dot d v v.
Proof. apply sum_nonneg. intros. nra. Qed.

Lemma norm_nonneg d v : 0 <= norm d v.
Proof. apply sqrt_pos. Qed.

Lemma norm_sq d v : norm d v ^ 2 = dot d v v.
Proof. unfold norm. simpl. rewrite Rmult_1_r. apply sqrt_sqrt, dot_self_nonneg. Qed.

Lemma norm_ext d u v : (forall j, (j < d)%nat -> u j = v j) -> norm d u = norm d v.
Proof.
  intros H. unfold norm, dot. f_equal. apply sum_ext. intros j Hj. rewrite H by exact Hj.
  reflexivity.
Qed.

Lemma norm_scal d c v : norm d (fun j => c * v j) = Rabs c * norm d v.
Proof.
  unfold norm, dot.
  rewrite (sum_ext _ _ (fun j => (c * c) * (v j * v j))) by (intros; ring).
  rewrite sum_scal_l, sqrt_mult_alt by nra.
  change (c * c) with (Rsqr c). rewrite sqrt_Rsqr_abs. reflexivity.
Qed.

Lemma dot_sub d u v x : dot d (vsub u v) x = dot d u x - dot d v x.
Proof.
  unfold dot, vsub. rewrite <- sum_minus. apply sum_ext. intros; ring.
Qed.

(** Empirical means. *)
Lemma inv_INR_nonneg N : 0 <= / INR N.
Proof.
  destruct N as [|N].
  - simpl. rewrite Rinv_0. lra.
  - left. apply Rinv_0_lt_compat, lt_0_INR. lia.
Qed.

Lemma mean_le N f g : (forall k, (k < N)%nat -> f k <= g k) -> mean N f <= mean N g.
Proof.
  intros H. unfold mean, Rdiv. apply Rmult_le_compat_r; [apply inv_INR_nonneg|].
  apply sum_le, H.
Qed.

Lemma mean_plus N f g : mean N (fun k => f k + g k) = mean N f + mean N g.
Proof. unfold mean. rewrite sum_plus. unfold Rdiv. ring. Qed.

Lemma mean_minus N f g : mean N (fun k => f k - g k) = mean N f - mean N g.
Proof. unfold mean. rewrite sum_minus. unfold Rdiv. ring. Qed.

Lemma mean_scal N c f : mean N (fun k => c * f k) = c * mean N f.
Proof. unfold mean. rewrite sum_scal_l. unfold Rdiv. ring. Qed.

Lemma mean_nonneg N f : (forall k, (k < N)%nat -> 0 <= f k) -> 0 <= mean N f.
Proof.
  intros H. unfold mean, Rdiv. apply Rmult_le_pos; [apply sum_nonneg, H|apply inv_INR_nonneg].
Qed.

Lemma mean_sum N m f :
  mean N (fun k => sum m (fun i => f i k)) = sum m (fun i => mean N (fun k => f i k)).
Proof.
  unfold mean, Rdiv. rewrite sum_swap, <- sum_scal_r. reflexivity.
Qed.

(** Jensen / Cauchy–Schwarz for the empirical mean: (mean g)² ≤ mean g². *)
Lemma mean_sq N g : mean N g ^ 2 <= mean N (fun k => g k ^ 2).
Proof.
  destruct N as [|N].
  - unfold mean, Rdiv. simpl sum. simpl INR. rewrite Rinv_0. lra.
  - set (c := mean (S N) g).
    assert (HN : 0 < INR (S N)) by (apply lt_0_INR; lia).
    assert (Hs : sum (S N) g = INR (S N) * c) by (unfold c, mean; field; lra).
    assert (H0 : 0 <= sum (S N) (fun k => (g k - c) ^ 2)) by (apply sum_nonneg; intros; apply pow2_ge_0).
    rewrite (sum_ext _ _ (fun k => g k ^ 2 + (-2 * c) * g k + c ^ 2)) in H0 by (intros; ring).
    rewrite !sum_plus, sum_scal_l, sum_const, Hs in H0.
    unfold mean. apply (Rmult_le_reg_l (INR (S N))); [exact HN|].
    replace (INR (S N) * (sum (S N) (fun k => g k ^ 2) / INR (S N)))
      with (sum (S N) (fun k => g k ^ 2)) by (field; lra).
    fold c. nra.
Qed.

Lemma sq_le_sq_nonneg a b : 0 <= b -> a ^ 2 <= b ^ 2 -> a <= b.
Proof. intros Hb H. destruct (Rle_dec a b) as [|Hn]; [assumption|]. nra. Qed.

Lemma mean_ext N f g : (forall k, (k < N)%nat -> f k = g k) -> mean N f = mean N g.
Proof. intros H. unfold mean. rewrite (sum_ext _ _ _ H). reflexivity. Qed.

(** The feature bound behind ll:relu-lipschitz: mean |vᵀx| ≤ D_X ‖v‖. *)
Lemma feature_abs N d X DX v :
  data_scale N d X DX -> mean N (fun k => Rabs (dot d v (X k))) <= DX * norm d v.
Proof.
  intros [HD Hq]. apply sq_le_sq_nonneg.
  - apply Rmult_le_pos; [exact HD|apply norm_nonneg].
  - eapply Rle_trans; [apply mean_sq|].
    rewrite (mean_ext _ _ (fun k => dot d v (X k) ^ 2)) by (intros; apply pow2_abs).
    eapply Rle_trans; [apply Hq|]. rewrite <- norm_sq. right; ring.
Qed.

(** A row in the unit ball: mean ρ(wᵀx) ≤ D_X. *)
Lemma feature_relu N d X DX w :
  data_scale N d X DX -> norm d w <= 1 -> mean N (fun k => relu (dot d w (X k))) <= DX.
Proof.
  intros HX Hw. destruct HX as [HD Hq] eqn:E.
  eapply Rle_trans; [apply mean_le; intros; apply relu_le_abs|].
  eapply Rle_trans; [apply feature_abs, HX|]. nra.
Qed.

(** Loss and risk. *)
Lemma lipschitz_nonneg ell L : lipschitz_loss ell L -> 0 <= L.
Proof.
  intros H. specialize (H 0 1 0). rewrite Rminus_0_r, Rabs_R1 in H.
  pose proof (Rabs_pos (ell 0 1 - ell 0 0)). lra.
Qed.

(** R(f) − R(g) ≤ L mean |f − g| for any two predictors on the sample. *)
Lemma risk_lip N (Y : nat -> R) ell L (f g : nat -> R) :
  lipschitz_loss ell L ->
  mean N (fun k => ell (Y k) (f k)) - mean N (fun k => ell (Y k) (g k))
  <= L * mean N (fun k => Rabs (f k - g k)).
Proof.
  intros H. rewrite <- mean_minus, <- mean_scal. apply mean_le. intros k _.
  specialize (H (Y k) (f k) (g k)). pose proof (Rle_abs (ell (Y k) (f k) - ell (Y k) (g k))). lra.
Qed.

Lemma risk_convex N (Y : nat -> R) ell (f g : nat -> R) t :
  convex_loss ell -> 0 <= t <= 1 ->
  mean N (fun k => ell (Y k) ((1 - t) * f k + t * g k))
  <= (1 - t) * mean N (fun k => ell (Y k) (f k)) + t * mean N (fun k => ell (Y k) (g k)).
Proof.
  intros H Ht. rewrite <- !mean_scal, <- mean_plus. apply mean_le. intros k _. apply H, Ht.
Qed.

(** The predictor and the penalty in θ. *)
Lemma l1_nonneg m th : 0 <= l1 m th.
Proof. apply sum_nonneg. intros. apply Rabs_pos. Qed.

Lemma Phi_thlin d m W a b t x :
  Phi d m W (thlin t a b) x = (1 - t) * Phi d m W a x + t * Phi d m W b x.
Proof.
  unfold Phi, thlin. rewrite <- !sum_scal_l, <- sum_plus. apply sum_ext. intros; ring.
Qed.

Lemma l1_thlin m a b t : 0 <= t <= 1 -> l1 m (thlin t a b) <= (1 - t) * l1 m a + t * l1 m b.
Proof.
  intros Ht. unfold l1, thlin. rewrite <- !sum_scal_l, <- sum_plus. apply sum_le.
  intros i _. eapply Rle_trans; [apply Rabs_triang|].
  rewrite !Rabs_mult, (Rabs_pos_eq t), (Rabs_pos_eq (1 - t)) by lra. lra.
Qed.

(** Changing θ at fixed rows in the ball moves Φ by at most D_X Σ|Δθ_i| in mean. *)
Lemma Phi_theta_diff_mean N d m X DX W th th' :
  data_scale N d X DX -> in_ball d m W ->
  mean N (fun k => Rabs (Phi d m W th (X k) - Phi d m W th' (X k)))
  <= DX * sum m (fun i => Rabs (th i - th' i)).
Proof.
  intros HX HW.
  eapply Rle_trans.
  - apply mean_le. intros k _.
    unfold Phi. rewrite <- sum_minus. eapply Rle_trans; [apply sum_abs|].
    apply (sum_le _ _ (fun i => Rabs (th i - th' i) * relu (dot d (W i) (X k)))).
    intros i _. rewrite <- Rmult_minus_distr_r, Rabs_mult, (Rabs_pos_eq (relu _))
      by apply relu_nonneg. lra.
  - rewrite (mean_sum N m (fun i k => Rabs (th i - th' i) * relu (dot d (W i) (X k)))).
    rewrite <- sum_scal_l. apply sum_le. intros i Hi.
    rewrite mean_scal. rewrite Rmult_comm. apply Rmult_le_compat_r; [apply Rabs_pos|].
    apply feature_relu; [exact HX|apply HW, Hi].
Qed.
